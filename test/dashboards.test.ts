/**
 * dashboards/: every dashboard parses, uses the Prometheus data source variable and the cluster/target
 * variables, every panel type exists (core Grafana or our plugin), and every query is valid PromQL
 * (parsed by the real promtool) naming only metrics the agent exports or our recording rules.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PAGING_DEFAULTS } from '../agent/src/config/paging-config';
import { REPO_ROOT, allowedMetricNames } from './support/alerting-metrics';
import { metricNamesIn } from './support/alerting-promql';
import { runTool } from './support/alerting-tools';
import { panelUnits, SHIPPED_COST_UNIT, SHIPPED_LOAD_UNIT } from './support/dashboard-units';

const DASHBOARDS_DIR = join(REPO_ROOT, 'dashboards');
const PLUGIN_ID = 'wedsync-scaling-panel';
/** Panel types built into Grafana 11–13. */
const CORE_PANEL_TYPES = new Set([
  'alertlist',
  'annolist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashlist',
  'datagrid',
  'flamegraph',
  'gauge',
  'geomap',
  'heatmap',
  'histogram',
  'logs',
  'news',
  'nodeGraph',
  'piechart',
  'row',
  'stat',
  'state-timeline',
  'status-history',
  'table',
  'text',
  'timeseries',
  'traces',
  'trend',
  'xychart',
]);

interface Target {
  refId: string;
  expr: string;
  datasource?: { uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
  gridPos: { x: number; w: number };
}
interface Variable {
  name: string;
  type: string;
  query: unknown;
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
  annotations?: { list: { expr?: string }[] };
}

const files = readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'));
const load = (file: string) => JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8')) as Dashboard;
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
const variableQuery = (v: Variable) => (typeof v.query === 'string' ? v.query : ((v.query as { query?: string })?.query ?? ''));
/** Every PromQL expression in a dashboard: panel targets, annotation queries, variable queries. */
function expressions(d: Dashboard): { where: string; expr: string }[] {
  const out = allPanels(d.panels).flatMap((p) => (p.targets ?? []).map((t) => ({ where: `${p.title} [${t.refId}]`, expr: t.expr })));
  for (const a of d.annotations?.list ?? []) if (a.expr) out.push({ where: 'annotation', expr: a.expr });
  for (const v of d.templating.list) {
    const m = variableQuery(v).match(/^label_values\((.+),\s*\w+\)$/);
    if (m) out.push({ where: `variable ${v.name}`, expr: m[1] });
  }
  return out;
}
/** Grafana variables replaced by values PromQL accepts, so promtool can parse the query. */
const interpolate = (expr: string) => expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m').replace(/\$\{?(\w+)(?::\w+)?\}?/g, '.*');

describe('metricNamesIn (the helper both rule and dashboard checks rely on)', () => {
  test.each([
    ['sum by (target) (rate(wedsync_agent_ticks_total{cluster=~"$cluster"}[$__rate_interval]))', ['wedsync_agent_ticks_total']],
    ['histogram_quantile(0.95, sum by (le) (rate(x_seconds_bucket[5m]))) / on (job) group_left (cluster) up', ['x_seconds_bucket', 'up']],
    ['count(a > bool 1) or vector(0) unless b offset 5m', ['a', 'b']],
    ['wedsync_target:spec_changes:10m > 0 and on (cluster, target) max_over_time(c[10m]) == 1', ['wedsync_target:spec_changes:10m', 'c']],
    ['label_replace(m, "dst", "$1", "src", "(.*)")', ['m']],
  ])('%s → %j', (expr, names) => {
    expect(metricNamesIn(expr).sort()).toEqual([...names].sort());
  });
});

describe('dashboards', () => {
  const allowed = allowedMetricNames();

  test('there is a fleet overview, a clusters view, a target detail and an agent & sinks health dashboard', () => {
    expect(files.sort()).toEqual(['wedsync-agent-health.json', 'wedsync-fleet-clusters.json', 'wedsync-fleet-overview.json', 'wedsync-target-detail.json']);
  });

  describe.each(files)('%s', (file) => {
    const d = load(file);
    const panels = allPanels(d.panels);

    test('Prometheus data source is a variable; cluster and target are query variables', () => {
      const vars = Object.fromEntries(d.templating.list.map((v) => [v.name, v]));
      expect(vars.datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
      expect(vars.cluster?.type).toBe('query');
      expect(vars.target?.type).toBe('query');
      expect(variableQuery(vars.target)).toContain('$cluster');
    });

    test('cloud provider and region are variables, and the cluster list follows them (wedsync_agent_info)', () => {
      const vars = Object.fromEntries(d.templating.list.map((v) => [v.name, v]));
      expect(variableQuery(vars.provider)).toBe('label_values(wedsync_agent_info, provider)');
      expect(variableQuery(vars.region)).toContain('provider=~"$provider"');
      expect(variableQuery(vars.cluster)).toBe('label_values(wedsync_agent_info{provider=~"$provider", region=~"$region"}, cluster)');
      const order = d.templating.list.map((v) => v.name);
      expect(order.indexOf('provider')).toBeLessThan(order.indexOf('region'));
      expect(order.indexOf('region')).toBeLessThan(order.indexOf('cluster'));
    });

    test('every panel type is core Grafana or our plugin, ids are unique, the grid is 24 wide', () => {
      for (const p of panels) {
        expect({ panel: p.title, type: CORE_PANEL_TYPES.has(p.type) || p.type === PLUGIN_ID }).toEqual({ panel: p.title, type: true });
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      }
      expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    });

    test('every query goes through the data source variable and is filtered by cluster', () => {
      for (const p of panels.filter((x) => x.type !== 'row')) {
        expect({ panel: p.title, uid: p.datasource?.uid }).toEqual({ panel: p.title, uid: '${datasource}' });
        for (const t of p.targets ?? []) {
          expect(t.datasource?.uid).toBe('${datasource}');
          expect({ panel: p.title, expr: t.expr, filtered: t.expr.includes('cluster=~"$cluster"') }).toMatchObject({ filtered: true });
        }
      }
    });

    test('every query names only metrics the agent exports (METRIC) or our recording rules', () => {
      const exprs = expressions(d);
      expect(exprs.length).toBeGreaterThan(5);
      for (const { where, expr } of exprs) {
        const names = metricNamesIn(expr);
        expect({ where, names: names.length > 0 }).toEqual({ where, names: true });
        expect({ where, unknown: names.filter((n) => !allowed.has(n)) }).toEqual({ where, unknown: [] });
      }
    });

    test('every query is valid PromQL (parsed by the real promtool)', () => {
      const rules = expressions(d).map(({ expr }, i) => ({ record: `dashboard_query:check:${i}`, expr: interpolate(expr) }));
      const dir = mkdtempSync(join(tmpdir(), 'wedsync-dashboards-'));
      try {
        const rulesFile = join(dir, 'queries.rules.yml');
        writeFileSync(rulesFile, stringify({ groups: [{ name: 'dashboard-queries', rules }] }));
        const r = runTool('promtool', ['check', 'rules', rulesFile]);
        expect(r.output).toContain(`SUCCESS: ${rules.length} rules found`);
        expect(r.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  test('the target detail dashboard uses the WedSync panel plugin with the series roles it reads', () => {
    const panel = allPanels(load('wedsync-target-detail.json').panels).find((p) => p.type === PLUGIN_ID);
    expect(panel).toBeDefined();
    expect(panel!.targets!.map((t) => t.refId)).toEqual(expect.arrayContaining(['observed', 'forecast', 'lower', 'upper', 'current', 'desired', 'anomaly']));
    const pluginJson = join(REPO_ROOT, 'grafana-plugin', 'src', 'panels', 'scaling', 'plugin.json');
    if (existsSync(pluginJson)) expect(JSON.parse(readFileSync(pluginJson, 'utf8')).id).toBe(PLUGIN_ID);
  });

  test('the fleet overview shows load vs forecast, replicas and protections for all targets', () => {
    const exprs = expressions(load('wedsync-fleet-overview.json'))
      .map((e) => e.expr)
      .join('\n');
    for (const metric of [
      'wedsync_agent_observed_load',
      'wedsync_agent_forecast_load',
      'wedsync_agent_replicas_current',
      'wedsync_agent_protection_active',
      'wedsync_agent_deploy_freeze',
    ])
      expect(exprs).toContain(metric);
  });

  test('utilisation turns red at the paging threshold, and the fleet overview shows the page conditions (one truth for paging)', () => {
    const red = (file: string, title: string) => {
      const p = allPanels(load(file).panels).find((x) => x.title === title) as unknown as {
        fieldConfig: { defaults: { thresholds: { steps: { color: string; value: number | null }[] } } };
      };
      return p.fieldConfig.defaults.thresholds.steps.find((s) => s.color === 'red')?.value;
    };
    expect(red('wedsync-fleet-overview.json', 'Utilisation (load ÷ ready capacity)')).toBe(PAGING_DEFAULTS.overloadUtilization);
    expect(red('wedsync-target-detail.json', 'Utilisation')).toBe(PAGING_DEFAULTS.overloadUtilization);
    expect(
      expressions(load('wedsync-fleet-overview.json'))
        .map((e) => e.expr)
        .join('\n'),
    ).toContain('wedsync_agent_page_condition');
    expect(
      expressions(load('wedsync-agent-health.json'))
        .map((e) => e.expr)
        .join('\n'),
    ).toContain('wedsync_agent_page_hand_offs_total');
  });

  test('the clusters view shows, per cluster, weddings live, replicas, cost per hour, protections and peer state', () => {
    const exprs = expressions(load('wedsync-fleet-clusters.json')).map((e) => e.expr);
    for (const metric of [
      'wedsync_agent_info',
      'wedsync_agent_active_weddings',
      'wedsync_agent_replicas_current',
      'wedsync_agent_cost_per_hour',
      'wedsync_agent_protection_active',
      'wedsync_agent_peer_up',
      'wedsync_agent_peer_lost',
      'wedsync_agent_fleet_data_ok',
    ])
      expect(exprs.join('\n')).toContain(metric);
    // Every panel query keeps the cluster label: one series per cluster, never the fleet blended.
    for (const p of allPanels(load('wedsync-fleet-clusters.json').panels))
      for (const t of p.targets ?? []) expect({ panel: p.title, byCluster: /by \(cluster\b/.test(t.expr) }).toEqual({ panel: p.title, byCluster: true });
  });

  test('the health dashboard covers the agent, its loop and every sink metric', () => {
    const exprs = expressions(load('wedsync-agent-health.json'))
      .map((e) => e.expr)
      .join('\n');
    for (const metric of [
      'up{job="wedsync-agent"',
      'wedsync_agent_leader',
      'wedsync_agent_tick_duration_seconds_bucket',
      'wedsync_agent_sink_exported_samples_total',
      'wedsync_agent_sink_failed_exports_total',
      'wedsync_agent_sink_dropped_samples_total',
      'wedsync_agent_sink_queue_length',
    ])
      expect(exprs).toContain(metric);
  });
});

describe('dashboard units follow the config (issue 26)', () => {
  // The Helm chart rewrites these two units to agent.loadUnit and pricing.currency: every load and cost
  // panel must carry exactly them, and no other panel may, or it would be rewritten by mistake.
  test.each(files)(`%s: every load panel in ${SHIPPED_LOAD_UNIT}, every cost panel in ${SHIPPED_COST_UNIT}, nothing else in either`, (file) => {
    const units = panelUnits(load(file));
    for (const p of units) {
      const want = p.role === 'load' ? SHIPPED_LOAD_UNIT : p.role === 'cost' ? SHIPPED_COST_UNIT : undefined;
      if (want) expect({ title: p.title, unit: p.unit }).toEqual({ title: p.title, unit: want });
      else
        expect({ title: p.title, unit: [SHIPPED_LOAD_UNIT, SHIPPED_COST_UNIT].includes(p.unit ?? '') ? p.unit : 'not a config unit' }).toEqual({
          title: p.title,
          unit: 'not a config unit',
        });
      expect({ title: p.title, overrideUnits: p.overrideUnits }).toEqual({ title: p.title, overrideUnits: [] });
    }
  });

  test('there are load and cost panels to follow the config', () => {
    const all = files.flatMap((f) => panelUnits(load(f)));
    expect(all.filter((p) => p.role === 'load').length).toBeGreaterThanOrEqual(7);
    expect(all.filter((p) => p.role === 'cost').length).toBeGreaterThanOrEqual(5);
  });
});

describe('dashboard panel descriptions (issue 26)', () => {
  it.each(files)('%s: every panel (rows aside) says what it shows in a description', (file) => {
    const undocumented = allPanels(load(file).panels ?? [])
      .filter((p) => p.type !== 'row' && !(p as { description?: string }).description?.trim())
      .map((p) => p.title);
    expect(undocumented).toEqual([]);
  });
});
