import { AppPlugin } from '@grafana/data';
import { AppConfig } from './components/AppConfig';
import type { AppJsonData } from './api/appSettings';

/**
 * The WedSync app: holds the agent's URL and token (configuration page; plugin.json `routes` proxy the
 * panel's calls and add the token server-side) and carries the WedSync Scaling panel (panels/scaling).
 */
export const plugin = new AppPlugin<AppJsonData>().addConfigPage({
  title: 'Connection',
  icon: 'link',
  body: AppConfig,
  id: 'connection',
});
