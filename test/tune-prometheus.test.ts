/**
 * `wedsync-agent tune --config F --from … --to …` against a real Prometheus (Debian `prometheus`),
 * filled with 15 days of one target's demand by `promtool tsdb create-blocks-from openmetrics` (as
 * backtest-prometheus.test.ts does): the outputs, a patch the config accepts, and the refusals (a range
 * under two weeks: exit 2; a target with no history: exit 1; a range with a gap over 10 %: exit 2).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main } from '../agent/src/cli/main';
import { parseConfig } from '../agent/src/app/config-load';
import { syntheticDemand } from '../agent/test-support/synthetic-trace';
import { startPrometheusWithHistory, type HistoryPrometheus } from './support/prometheus-history';

const MIN = 60_000;
const DAY = 86_400_000;
const DAYS = 15;
/** Midnight UTC, 16 days back: the history lies wholly in the past. */
const START = Math.floor((Date.now() - (DAYS + 1) * DAY) / DAY) * DAY;
const END = START + DAYS * DAY;
const iso = (t: number) => new Date(t).toISOString();

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', 'tune', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join('\n') };
}

describe('tune from a real Prometheus (promtool-backfilled history)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-tune-prom-'));
  let prom: HistoryPrometheus;
  let config: string;

  beforeAll(async () => {
    const demand = syntheticDemand(DAYS * 1440, START, 12 * 1440 + 600);
    const points = (keep: (k: number) => boolean): Array<[number, number]> =>
      demand.map((d, k): [number, number] => [START + k * MIN, d]).filter((_, k) => keep(k));
    prom = await startPrometheusWithHistory(join(dir, 'prometheus'), [
      { name: 'demand_rps', type: 'gauge', labels: { service: 'api' }, points: points(() => true) },
      // The same demand with two silent days in the held-out part (more than 10 % of it).
      { name: 'demand_rps', type: 'gauge', labels: { service: 'gappy' }, points: points((k) => k < 12 * 1440 || k >= 14 * 1440) },
    ]);
    config = join(dir, 'tune.yaml');
    writeFileSync(join(dir, 'calendar.json'), JSON.stringify({ weddings: [] }));
    const target = (id: string, query: string) =>
      `  - { id: ${id}, kubernetes: { namespace: shop, name: ${id} }, load: { source: prom, query: '${query}' }, capacityPerPod: 50, targetUtilization: 0.7, minReplicas: 2, maxReplicas: 100, podStartupSeconds: 180 }`;
    writeFileSync(
      config,
      [
        `sources: { prom: { type: prometheus, url: "${prom.url}" } }`,
        'calendar: { sources: [{ format: json, location: calendar.json }] }',
        'targets:',
        target('api', 'sum(demand_rps{service="api"})'),
        target('gappy', 'sum(demand_rps{service="gappy"})'),
        target('nodata', 'sum(no_such_metric)'),
      ].join('\n') + '\n',
    );
  }, 600_000);

  afterAll(async () => {
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('tunes a target on its history: summary, report, and a patch the config accepts', async () => {
    const out = join(dir, 'out');
    const r = await cli(
      '--config',
      config,
      '--from',
      iso(START),
      '--to',
      iso(END),
      '--target',
      'api',
      '--out',
      out,
      '--candidates',
      '3',
      '--settings',
      'targetUtilization,scaleDownStabilizationSeconds',
    );
    expect(r.err).toMatch(/^tune: api: (chosen|GOAL)/m);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.source).toBe(`Prometheus ${prom.url}`);
    const t = summary.targets[0];
    expect(t.id).toBe('api');
    expect(t.tunedOn.from).toBe(iso(START));
    expect(t.heldOut.to).toBe(iso(END));
    expect(t.chosen.tune.overloadMinutes).toBeLessThanOrEqual(t.defaults.tune.overloadMinutes);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('data-testid="chosen-point"');
    const patch = parse(readFileSync(join(out, 'tuned-policy.yaml'), 'utf8')) as { targets: Array<Record<string, unknown>> };
    const cfg = parse(readFileSync(config, 'utf8')) as { targets: Array<Record<string, unknown>> };
    cfg.targets = cfg.targets.map((x) => (x.id === 'api' ? { ...x, ...patch.targets[0] } : x));
    expect(() => parseConfig(JSON.stringify(cfg), 'tuned.yaml', {})).not.toThrow();
  }, 900_000);

  test.each([
    [['--target', 'api', '--from', iso(START), '--to', iso(START + 10 * DAY)], 2, /api: 10\.0 days of history; tune needs at least 14/],
    [['--target', 'nodata', '--from', iso(START), '--to', iso(END)], 1, /target "nodata": the load query returned no data/],
    [['--target', 'nosuch', '--from', iso(START), '--to', iso(END)], 2, /--target: unknown target "nosuch" \(.* has api, /],
    [
      ['--target', 'gappy', '--from', iso(START), '--to', iso(END)],
      2,
      /gappy: \d+ of the \d+ minutes of the held-out part have no data .*choose a range without the gap/,
    ],
  ])(
    'refuses %j with exit %i',
    async (args, code, message) => {
      const r = await cli('--config', config, ...args, '--out', join(dir, 'refused'));
      expect(r.err).toMatch(message);
      expect(r.code).toBe(code);
    },
    120_000,
  );
});
