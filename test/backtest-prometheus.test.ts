/**
 * `backtest` and the Prometheus source against a real Prometheus (Debian `prometheus`), filled with two
 * days (and a nine-day series) of history by `promtool tsdb create-blocks-from openmetrics`, shifted into
 * the past. The agent's schedule from Prometheus must equal `replay`'s on the same trace folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../agent/src/cli/main';
import { targetSchema } from '../agent/src/config/schema';
import { PrometheusSource } from '../agent/src/sources/prometheus-source';
import { writeSyntheticTrace } from '../agent/test-support/synthetic-trace';
import { freePort } from './support/alerting-processes';
import { startPrometheusWithHistory, type HistoryPrometheus, type HistorySeries } from './support/prometheus-history';

const MIN = 60_000;
const DAY = 86_400_000;
/** A Friday 00:00 UTC two to three weeks ago: the trace lies wholly in the past. */
const START = (() => {
  const d = Math.floor((Date.now() - 14 * DAY) / DAY) * DAY;
  return d - ((new Date(d).getUTCDay() - 5 + 7) % 7) * DAY;
})();
const STEPS = 2 * 1440;
const END = START + STEPS * MIN;
const iso = (t: number) => new Date(t).toISOString();

async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('backtest from a real Prometheus (promtool-backfilled history)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-backtest-'));
  const traceDir = join(dir, 'trace');
  let prom: HistoryPrometheus;
  let config: string;
  let demand: number[];

  beforeAll(async () => {
    const saturday = iso(START + DAY).slice(0, 10);
    demand = writeSyntheticTrace(traceDir, {
      start: iso(START),
      days: 2,
      weddings: [
        {
          id: 'w1',
          title: 'Saturday wedding',
          start: `${saturday}T14:00:00Z`,
          timezone: 'Europe/London',
          days: 1,
          guests: 150,
          tradition: 'british',
          vendors: 5,
        },
      ],
    }).demand;
    const minutes = (n: number, from: number, value: (k: number) => number): Array<[number, number]> =>
      Array.from({ length: n }, (_, k) => [from + k * MIN, value(k)]);
    const series: HistorySeries[] = [
      { name: 'demand_rps', type: 'gauge', labels: { service: 'api' }, points: minutes(STEPS, START, (k) => demand[k]) },
      // The same demand with a 30-minute hole (no samples) from minute 600.
      {
        name: 'demand_rps',
        type: 'gauge',
        labels: { service: 'gappy' },
        points: minutes(STEPS, START, (k) => demand[k]).filter((_, k) => k < 600 || k >= 630),
      },
      // Two pods' request counters at 30/s and 12.5/s, for rate() and sum by.
      { name: 'http_requests', type: 'counter', labels: { service: 'api', pod: 'a' }, points: minutes(STEPS, START, (k) => k * 60 * 30) },
      { name: 'http_requests', type: 'counter', labels: { service: 'api', pod: 'b' }, points: minutes(STEPS, START, (k) => k * 60 * 12.5) },
      // What the cluster ran (kube-state-metrics): 8 pods, 20 in the evening.
      {
        name: 'kube_deployment_status_replicas',
        type: 'gauge',
        labels: { namespace: 'shop', deployment: 'api' },
        points: minutes(STEPS, START, (k) => ((k % 1440) / 60 >= 19 ? 20 : 8)),
      },
      // Nine days, more than one query_range request holds at 60 s steps (11,000 points).
      { name: 'long_rps', type: 'gauge', labels: { service: 'long' }, points: minutes(9 * 1440, END - 9 * DAY, (k) => (k % 500) + 0.5) },
    ];
    prom = await startPrometheusWithHistory(join(dir, 'prometheus'), series);
    config = join(dir, 'backtest.yaml');
    const target = (id: string, query: string, extra = '') =>
      `  - { id: ${id}, kubernetes: { namespace: shop, name: ${id} }, load: { source: prom, query: '${query}' }, capacityPerPod: 50, targetUtilization: 0.7, minReplicas: 2, maxReplicas: 100, podStartupSeconds: 180${extra} }`;
    writeFileSync(
      config,
      [
        `sources: { prom: { type: prometheus, url: "${prom.url}" } }`,
        `calendar: { sources: [{ format: json, location: trace/calendar.json }] }`,
        // A price table: api's replica-hours are priced (its pods request 0.5 vCPU and 1 GiB); the others' are unknown.
        'pricing: { currency: USD, provider: eks, region: eu-west-1, table: { eks: { eu-west-1: { onDemand: { vcpuHour: 0.04, gibHour: 0.005 } } } } }',
        'targets:',
        target('api', 'sum(demand_rps{service="api"})', ', cost: { podRequests: { cpu: 0.5, memoryGiB: 1 } }'),
        target('several', 'rate(http_requests_total{service="api"}[5m])'),
        target('gappy', 'sum(demand_rps{service="gappy"})'),
        target('nodata', 'sum(no_such_metric)'),
      ].join('\n') + '\n',
    );
    // A query with a missing bracket: refused when the config is read (the Prometheus grammar), before any query.
    writeFileSync(join(dir, 'badql.yaml'), readFileSync(config, 'utf8') + target('badql', 'sum(rate(http_requests_total[5m]') + '\n');
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // The target alone (targetSchema): the composed config would refuse the broken query before the source sees it.
  const sourceTarget = (query: string) =>
    targetSchema.parse({ id: 't', kubernetes: { namespace: 'a', name: 'b' }, load: { source: 'p', query }, capacityPerPod: 1, maxReplicas: 1 });

  test('Prometheus source: an instant query with rate() and sum by reads one number', async () => {
    const source = new PrometheusSource({ url: prom.url, timeoutSeconds: 5 });
    const r = await source.read(sourceTarget('sum by (service) (rate(http_requests_total{service="api"}[5m]))'), END - 10 * MIN);
    expect(r).toEqual({ ok: true, value: expect.closeTo(42.5, 6), atMs: END - 10 * MIN });
    const several = await source.read(sourceTarget('rate(http_requests_total{service="api"}[5m])'), END - 10 * MIN);
    expect(several).toEqual({ ok: false, error: 'query returned 2 series; wrap it in sum()', atMs: END - 10 * MIN });
    const bad = await source.read(sourceTarget('sum(rate(http_requests_total[5m]'), END - 10 * MIN);
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/^HTTP 400: .*parse error/) });
  });

  test('cold-start backfill: nine days through query_range in requests under the 11,000-point limit', async () => {
    const source = new PrometheusSource({ url: prom.url, timeoutSeconds: 5 });
    const points = await source.history(sourceTarget('sum(long_rps)'), END - 9 * DAY, END, MIN);
    if ('error' in points) throw new Error(points.error);
    expect(points).toHaveLength(9 * 1440);
    expect(points[0]).toEqual({ tMs: END - 9 * DAY, value: 0.5 });
    expect(points[12_000]).toEqual({ tMs: END - 9 * DAY + 12_000 * MIN, value: (12_000 % 500) + 0.5 });
  });

  test("the agent's schedule from Prometheus equals replay's on the same trace; the report compares every policy", async () => {
    const out = join(dir, 'report');
    const bt = await cli('backtest', '--config', config, '--from', iso(START), '--to', iso(END), '--target', 'api', '--out', out);
    expect(bt.err.join('\n')).toMatch(
      /^backtest: api: 2880 minutes; agent [\d.]+ replica-hours = [\d.]+ USD; HPA v2 [\d.]+ = [\d.]+ USD; oracle [\d.]+ = [\d.]+ USD$/m,
    );
    expect(bt.code).toBe(0);
    const replayCsv = join(dir, 'replay-replicas.csv');
    const rp = await cli('replay', '--trace', traceDir, '--config', config, '--output', replayCsv);
    expect(rp.code).toBe(0);
    const fromPrometheus = readFileSync(join(out, 'replicas.csv'), 'utf8');
    expect(fromPrometheus.split('\n')).toHaveLength(STEPS + 2); // header, one row a minute, final newline
    expect(fromPrometheus).toBe(readFileSync(replayCsv, 'utf8'));

    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const t = summary.targets[0];
    expect(Object.keys(t.policies)).toEqual(['agent', 'cluster_ran', 'hpa_v2', 'hpa_headroom', 'static_peak', 'oracle']);
    expect(t.policies.agent).toEqual(JSON.parse(rp.out.join('\n')).policies.agent);
    // Replica-hours in money, next to them: 0.5 × 0.04 + 1 × 0.005 = 0.025 USD a replica-hour.
    expect(t.price).toMatchObject({ currency: 'USD', perReplicaHour: 0.025, source: 'table' });
    for (const p of Object.values<{ replicaHours: number; cost: number; currency: string }>(t.policies))
      expect(p).toMatchObject({ currency: 'USD', cost: expect.closeTo(p.replicaHours * 0.025, 3) });
    expect(t.policies.cluster_ran.cost).toBeCloseTo(2 * (19 * 8 + 5 * 20) * 0.025, 6);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<th>cost (USD)</th>');
    expect(t.clusterRanQuery).toBe('max(kube_deployment_status_replicas{namespace="shop",deployment="api"})');
    // 8 pods by day and 20 from 19:00: (19 × 8 + 5 × 20) pod-hours a day.
    expect(t.policies.cluster_ran.replicaHours).toBe(2 * (19 * 8 + 5 * 20));
    expect(t.hpaFrontier).toHaveLength(15);
    expect(t.headline.text).toMatch(/HPA alone/);
    expect(t.gaps).toEqual({ count: 0, missingMinutes: 0, ranges: [] });
    expect(t.weekends).toHaveLength(1);
    expect(t.weekends[0].weddings).toBe(1);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.includes(`data-testid="headline">${t.headline.text}</p>`)).toBe(true);
    // The title names the targets and the range; the chart library is inline (no <svg>, no fetch).
    expect(html).toContain(
      `<title>WedSync backtest: api (${iso(START).slice(0, 16).replace('T', ' ')}Z – ${iso(END).slice(0, 16).replace('T', ' ')}Z)</title>`,
    );
    expect(html).toMatch(/<script>\/\* uPlot 1\.6\.32/);
  }, 120_000);

  test('the built CLI replays several targets in worker threads: the same schedules as in-process', async () => {
    const cliJs = join(__dirname, '..', 'agent', 'dist', 'cli', 'main.js');
    if (!existsSync(cliJs)) throw new Error('the agent is not built: run `npm run build` first (root `npm test` does)');
    const out = join(dir, 'workers');
    const r = spawnSync(
      process.execPath,
      [cliJs, 'backtest', '--config', config, '--from', iso(START), '--to', iso(END), '--target', 'api', 'gappy', '--out', out],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toMatch(/^backtest: api: 2880 minutes; agent .* USD\nbacktest: gappy: 2880 minutes; 2\d minute\(s\) without data/);
    expect(r.status).toBe(0);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((f) => f.split('/').pop()),
    ).toEqual(['summary.json', 'replicas-api.csv', 'replicas-gappy.csv', 'report.html']);
    expect(readFileSync(join(out, 'replicas-api.csv'), 'utf8')).toBe(readFileSync(join(dir, 'replay-replicas.csv'), 'utf8'));
  }, 120_000);

  test('gaps in the history are counted, withheld from the agent, and shown in the report', async () => {
    const out = join(dir, 'gappy');
    const r = await cli('backtest', '--config', config, '--from', iso(START), '--to', iso(END), '--target', 'gappy', '--out', out);
    expect(r.code).toBe(0);
    const t = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).targets[0];
    expect(t.gaps.count).toBe(1);
    // Prometheus still answers for five minutes after the last sample (its lookback), then nothing.
    expect(t.gaps.missingMinutes).toBeGreaterThanOrEqual(24);
    expect(t.gaps.missingMinutes).toBeLessThanOrEqual(30);
    expect(t.agent.holdingSteps).toBeGreaterThanOrEqual(t.gaps.missingMinutes - 3);
    expect(r.err.join('\n')).toMatch(/gappy: 2880 minutes; 2\d minute\(s\) without data/);
    expect(/1 gap, 2\d minutes without data/.test(readFileSync(join(out, 'report.html'), 'utf8'))).toBe(true);
  }, 120_000);

  test.each([
    [
      'several',
      2,
      /^backtest: target "several": the load query returned 2 series between .* \(\{pod="a", service="api"\}, \{pod="b", service="api"\}\); .*wrap it in sum\(\) — query: rate\(http_requests_total\{service="api"\}\[5m\]\)$/,
    ],
    ['nodata', 1, /^backtest: target "nodata": the load query returned no data between .* — query: sum\(no_such_metric\)$/],
    ['badql', 2, /^backtest: .*badql\.yaml: targets\[4\]\.load\.query: is not valid PromQL: it ends too early .*after "p_requests_total\[5m\]"/],
  ])(
    'target %s is refused with exit code %i, naming the target and its query',
    async (id, code, message) => {
      const file = id === 'badql' ? join(dir, 'badql.yaml') : config;
      const r = await cli('backtest', '--config', file, '--from', iso(START), '--to', iso(END), '--target', id, '--out', join(dir, `fail-${id}`));
      expect(r.code).toBe(code);
      expect(r.err).toEqual([expect.stringMatching(message)]);
    },
    30_000,
  );

  test('Prometheus down: a clear error and exit code 1', async () => {
    const down = join(dir, 'down.yaml');
    writeFileSync(down, readFileSync(config, 'utf8').replace(prom.url, `http://127.0.0.1:${await freePort()}`));
    const r = await cli('backtest', '--config', down, '--from', iso(START), '--to', iso(END), '--target', 'api', '--out', join(dir, 'down'));
    expect(r.code).toBe(1);
    expect(r.err).toEqual([expect.stringMatching(/^backtest: Prometheus at http:\/\/127\.0\.0\.1:\d+ is unreachable: fetch failed \(.*ECONNREFUSED.*\)$/)]);
  }, 30_000);
});
