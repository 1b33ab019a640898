/// <reference lib="dom" />
/**
 * What Grafana puts on the page before any plugin code runs. @grafana/runtime reads it at import time,
 * so this module must be the harness's first import.
 */
(window as unknown as Record<string, unknown>).grafanaBootData = {
  assets: { dark: '', light: '' },
  settings: { buildInfo: { version: '13.1.0', commit: 'harness', env: 'production' }, featureToggles: {}, appSubUrl: '' },
  // The role the harness's Grafana stand-in gives this session (its `grafana_role` cookie).
  user: { theme: 'dark', timezone: 'utc', lightTheme: false, orgRole: /grafana_role=(\w+)/.exec(document.cookie)?.[1] ?? 'Viewer' },
  navTree: [],
};
// Icons are served by the harness server from @grafana/ui's own SVGs under this path.
(window as unknown as Record<string, unknown>).__grafana_public_path__ = '/public/';
export {};
