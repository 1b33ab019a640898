/**
 * The OpenCost price path against a real Prometheus (Debian `prometheus`): OpenCost's series
 * (`node_cpu_hourly_cost`, `node_ram_hourly_cost`, `container_cpu_allocation`,
 * `container_memory_allocation_bytes`) written as OpenMetrics and loaded with `promtool tsdb
 * create-blocks-from openmetrics`, three days in the past; the agent's clock is set there. The agent
 * prices from OpenCost where its series exist, falls back to the price table where they do not, and says
 * unknown (no series, null on /status) where neither answers — never 0.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Agent } from '../agent/src/app/agent';
import { loadConfigFile } from '../agent/src/app/config-load';
import { replicaHourPriceQuery } from '../agent/src/cost/opencost-queries';
import { promGet } from '../agent/src/sources/prometheus-source';
import { InMemoryScaler } from '../agent/src/scale/in-memory-scaler';
import { ManualClock } from '../agent/src/util/clock';
import { silentLogger } from '../agent/src/util/logger';
import { startPrometheusWithHistory, type HistoryPrometheus, type HistorySeries } from './support/prometheus-history';

const MIN = 60_000;
/** A whole minute three days ago: the history ends here and the agent's clock stands here. */
const T = Math.floor((Date.now() - 3 * 86_400_000) / MIN) * MIN;
const GIB = 2 ** 30;
const VIEWER = 'viewer-token-opencost-test';

/** One gauge sampled every minute over the two hours up to T. */
const gauge = (name: string, labels: Record<string, string>, value: number): HistorySeries => ({
  name,
  type: 'gauge',
  labels,
  points: Array.from({ length: 121 }, (_, k): [number, number] => [T - (120 - k) * MIN, value]),
});

// Two nodes: on-demand n1, spot n2 (OpenCost prices them per vCPU-hour and per GiB-hour).
const NODES = { n1: { cpu: 0.0425, ram: 0.0057 }, n2: { cpu: 0.0128, ram: 0.0017 } };
// The api Deployment's two pods, one on each node; a decoy pod of another Deployment (api-gateway) the match must skip.
const PODS = [
  { pod: 'api-7d9c8f6b5-abcde', node: 'n1', cpu: 0.5, mem: 1 },
  { pod: 'api-7d9c8f6b5-fghij', node: 'n2', cpu: 0.5, mem: 1 },
  { pod: 'api-gateway-5f6d7c8b9-qwert', node: 'n1', cpu: 4, mem: 16 },
];
const EXPECTED = (0.5 * NODES.n1.cpu + 1 * NODES.n1.ram + 0.5 * NODES.n2.cpu + 1 * NODES.n2.ram) / 2;

const series: HistorySeries[] = [
  ...Object.entries(NODES).flatMap(([node, p]) => [
    gauge(
      'node_cpu_hourly_cost',
      { node, instance: 'opencost:9003', job: 'opencost', instance_type: node === 'n1' ? 'm6i.xlarge' : 'm6i.xlarge-spot', region: 'eu-west-1' },
      p.cpu,
    ),
    gauge('node_ram_hourly_cost', { node, instance: 'opencost:9003', job: 'opencost', instance_type: 'm6i.xlarge', region: 'eu-west-1' }, p.ram),
  ]),
  ...PODS.flatMap((p) => [
    gauge(
      'container_cpu_allocation',
      { namespace: 'wedsync', pod: p.pod, container: p.pod.split('-')[0], node: p.node, instance: 'opencost:9003', job: 'opencost' },
      p.cpu,
    ),
    gauge(
      'container_memory_allocation_bytes',
      { namespace: 'wedsync', pod: p.pod, container: p.pod.split('-')[0], node: p.node, instance: 'opencost:9003', job: 'opencost' },
      p.mem * GIB,
    ),
  ]),
];

describe('OpenCost price path (real Prometheus, promtool-backfilled OpenCost series)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-opencost-'));
  let prom: HistoryPrometheus;
  let agent: Agent;
  let base: string;

  beforeAll(async () => {
    prom = await startPrometheusWithHistory(join(dir, 'prometheus'), series);
    const file = join(dir, 'agent.yaml');
    const target = (id: string, cost: string) =>
      `  - { id: ${id}, kubernetes: { namespace: wedsync, name: ${id} }, load: { source: prom, query: 'vector(100)' }, capacityPerPod: 50, minReplicas: 2, maxReplicas: 20${cost} }`;
    writeFileSync(
      file,
      [
        'agent: { listen: { host: 127.0.0.1, port: 0 }, logLevel: silent }',
        `sources: { prom: { type: prometheus, url: "${prom.url}", staleAfterSeconds: 600 } }`,
        'forecast: { backfillHours: 0 }',
        'pricing:',
        '  currency: USD',
        '  provider: eks',
        '  region: eu-west-1',
        '  table: { eks: { eu-west-1: { onDemand: { vcpuHour: 0.04456, gibHour: 0.00489 } } } }',
        '  opencost: { source: prom, refreshSeconds: 300 }',
        'targets:',
        // OpenCost has series for api; its cost.podRequests would give the table's price, which must not be used.
        target('api', ', cost: { podRequests: { cpu: 2, memoryGiB: 4 } }'),
        // No OpenCost series: the table prices it.
        target('photos', ', cost: { podRequests: { cpu: 1, memoryGiB: 2 } }'),
        // No series and no pod requests: unknown.
        target('batch', ''),
      ].join('\n') + '\n',
    );
    const clock = new ManualClock(T);
    agent = new Agent(loadConfigFile(file), {
      clock: clock.now,
      scaler: new InMemoryScaler(clock.now),
      logger: silentLogger,
      env: { WEDSYNC_API_TOKENS: `viewer:${VIEWER}` },
    });
    const addr = await agent.start();
    base = `http://127.0.0.1:${addr.port}`;
    await agent.opencost!.refresh();
    await agent.loop.trigger();
  }, 60_000);

  afterAll(async () => {
    await agent?.stop();
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the PromQL answers one price per replica-hour: allocation × node prices, summed, ÷ pods (the decoy Deployment excluded)', async () => {
    const body = await promGet({ url: prom.url, timeoutSeconds: 5 }, 'api/v1/query', {
      query: replicaHourPriceQuery({ kind: 'Deployment', namespace: 'wedsync', name: 'api' }),
      time: String(T / 1000),
    });
    expect('failure' in body ? body.failure : null).toBeNull();
    const result = (body as { data: { result: Array<{ value: [number, string] }> } }).data.result;
    expect(result).toHaveLength(1);
    expect(Number(result[0].value[1])).toBeCloseTo(EXPECTED, 10);
  });

  it('GET /status: OpenCost where its series exist, the table where they do not, unknown (null) where neither answers', async () => {
    const res = await request(base).get('/api/v1/status').set('Authorization', `Bearer ${VIEWER}`).expect(200);
    const cost = Object.fromEntries(res.body.targets.map((t: { id: string; cost: unknown }) => [t.id, t.cost])) as Record<
      string,
      { perReplicaHour: number | null; perHour: number | null; source: string; detail: string }
    >;
    const replicas = res.body.targets[0].replicas.current as number;
    expect(replicas).toBeGreaterThanOrEqual(2);
    expect(cost.api.source).toBe('opencost');
    expect(cost.api.perReplicaHour).toBeCloseTo(EXPECTED, 10);
    expect(cost.api.perHour).toBeCloseTo(EXPECTED * replicas, 10);
    expect(cost.photos).toMatchObject({
      source: 'table',
      detail: expect.stringMatching(/^OpenCost no OpenCost series for this workload; price table: eks\/eu-west-1 on-demand/),
    });
    expect(cost.photos.perReplicaHour).toBeCloseTo(1 * 0.04456 + 2 * 0.00489, 10);
    expect(cost.batch).toMatchObject({ source: 'unknown', perReplicaHour: null, perHour: null, detail: expect.stringMatching(/pod requests unknown/) });
  });

  it('/metrics: wedsync_agent_cost_per_hour for priced targets, no series (not 0) for the unknown one', async () => {
    const text = (await request(base).get('/metrics').expect(200)).text;
    const replicas = agent.state.targets.get('api')!.workload!.replicas;
    const value = (name: string, target: string) => {
      const m = new RegExp(`^${name}\\{target="${target}"\\} (\\S+)$`, 'm').exec(text);
      return m ? Number(m[1]) : undefined;
    };
    expect(value('wedsync_agent_cost_per_replica_hour', 'api')).toBeCloseTo(EXPECTED, 10);
    expect(value('wedsync_agent_cost_per_hour', 'api')).toBeCloseTo(EXPECTED * replicas, 10);
    expect(value('wedsync_agent_cost_per_hour', 'photos')).toBeCloseTo(agent.state.targets.get('photos')!.workload!.replicas * (0.04456 + 2 * 0.00489), 10);
    expect(value('wedsync_agent_cost_per_hour', 'batch')).toBeUndefined();
    expect(text).not.toMatch(/wedsync_agent_cost_per_(replica_)?hour\{target="batch"\}/);
  });
});
