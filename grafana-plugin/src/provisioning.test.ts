/** The provisioning example must keep working with this plugin: same id, the queries it reads, no token. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pluginJson from './panels/scaling/plugin.json';
import appJson from './plugin.json';
import { METRIC_ROLE, SERIES_ROLES } from './data/metricNames';
import { DEFAULT_OPTIONS } from './types';

const DIR = join(__dirname, '..', 'provisioning');
const dashboard = JSON.parse(readFileSync(join(DIR, 'dashboards', 'wedsync-scaling.json'), 'utf8'));
const panel = dashboard.panels.find((p: { type: string }) => p.type === pluginJson.id);

describe('provisioning example', () => {
  it('has a dashboard with the WedSync panel querying every series the panel reads', () => {
    expect(panel).toBeDefined();
    const byRef = Object.fromEntries(panel.targets.map((t: { refId: string; expr: string }) => [t.refId, t.expr]));
    expect(Object.keys(byRef).sort()).toEqual([...SERIES_ROLES].sort());
    for (const [metric, role] of Object.entries(METRIC_ROLE)) {
      expect(byRef[role]).toMatch(new RegExp(`^${metric}\\{`));
    }
  });

  it('sets only known panel options and never a token', () => {
    expect(Object.keys(panel.options).sort()).toEqual(Object.keys(DEFAULT_OPTIONS).sort());
    expect(JSON.stringify(dashboard)).not.toMatch(/token|bearer|password|secret/i);
  });

  it('enables the app with the agent URL and takes the token from the environment, never a literal', () => {
    const app = readFileSync(join(DIR, 'plugins', 'wedsync-app.yaml'), 'utf8');
    expect(app).toMatch(new RegExp(`type: ${appJson.id}\\b`));
    expect(app).toMatch(/agentUrl: http/);
    expect(/agentToken: (.*)/.exec(app)?.[1]).toBe('$WEDSYNC_AGENT_TOKEN');
  });

  it('points the dashboard at the provisioned data source', () => {
    const datasources = readFileSync(join(DIR, 'datasources', 'wedsync-prometheus.yaml'), 'utf8');
    const uid = /uid:\s*(\S+)/.exec(datasources)?.[1];
    expect(uid).toBe('wedsync-prometheus');
    const dsVar = dashboard.templating.list.find((v: { type: string }) => v.type === 'datasource');
    expect(dsVar.current.value).toBe(uid);
    expect(readFileSync(join(DIR, 'dashboards', 'wedsync-dashboards.yaml'), 'utf8')).toMatch(/type: file/);
  });
});
