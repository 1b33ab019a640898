/**
 * Cost through the agent's own endpoints (the bundled demo agent: simulator source, in-memory cluster, its
 * price table): GET /status, /metrics, the decision reasons, and GET /capacity-plan with the real forecaster.
 */
import request from 'supertest';
import { createDemoAgent, DEMO_START } from '../cli/demo';
import { generateRoleTokens } from './auth';
import { capacityPlanSchema, statusSchema } from './schemas';
import type { Agent } from '../app/agent';

const API_PRICE = 0.5 * 0.04456 + 1 * 0.00489; // demo.yaml: eks/eu-west-1 on-demand, 0.5 vCPU + 1 GiB
const SPOT_PRICE = 0.25 * 0.01337 + 0.5 * 0.00147; // notifications run on spot

describe('cost in /status, /metrics and GET /capacity-plan (demo agent, price table)', () => {
  const { value, tokens } = generateRoleTokens();
  let agent: Agent;
  let base: string;
  const viewer = () => ({ Authorization: `Bearer ${tokens.viewer}` });

  beforeAll(async () => {
    agent = createDemoAgent({ port: 0, speed: 60, start: DEMO_START, apiTokens: value });
    const addr = await agent.start();
    base = `http://127.0.0.1:${addr.port}`;
    await agent.loop.trigger();
  });
  afterAll(() => agent.stop());

  it('GET /status: price per replica-hour and per hour, currency and source, per target', async () => {
    const res = await request(base).get('/api/v1/status').set(viewer()).expect(200);
    statusSchema.parse(res.body);
    const byId = Object.fromEntries(res.body.targets.map((t: { id: string; cost: unknown }) => [t.id, t]));
    const api = byId.api as {
      cost: { perReplicaHour: number; perHour: number; currency: string; source: string; detail: string };
      replicas: { current: number };
    };
    expect(api.cost).toMatchObject({ currency: 'USD', source: 'table' });
    expect(api.cost.perReplicaHour).toBeCloseTo(API_PRICE, 10);
    expect(api.cost.perHour).toBeCloseTo(API_PRICE * api.replicas.current, 10);
    expect(api.cost.detail).toMatch(/eks\/eu-west-1 on-demand: 0.5 vCPU/);
    expect(byId.notifications.cost.perReplicaHour).toBeCloseTo(SPOT_PRICE, 10);
    expect(byId.notifications.cost.detail).toMatch(/spot/);
  });

  it('/metrics: wedsync_agent_cost_per_hour{target} = the replica-hour price × current replicas, in one scrape', async () => {
    const text = (await request(base).get('/metrics').expect(200)).text;
    const value = (name: string, target: string) => Number(new RegExp(`^${name}\\{target="${target}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
    for (const id of ['api', 'photo-upload', 'notifications'])
      expect(value('wedsync_agent_cost_per_hour', id)).toBeCloseTo(
        value('wedsync_agent_cost_per_replica_hour', id) * value('wedsync_agent_replicas_current', id),
        10,
      );
    expect(value('wedsync_agent_cost_per_replica_hour', 'api')).toBeCloseTo(API_PRICE, 10);
    expect(value('wedsync_agent_cost_per_replica_hour', 'notifications')).toBeCloseTo(SPOT_PRICE, 10);
  });

  it('GET /capacity-plan: the coming weekend by default, per target peak, pods, nodes and cost', async () => {
    const res = await request(base).get('/api/v1/capacity-plan').set(viewer()).expect(200);
    const plan = capacityPlanSchema.parse(res.body);
    // The demo clock starts Friday 4 June 12:00 UTC: the weekend is Saturday 00:00 → Monday 00:00 UTC.
    expect([plan.from, plan.to]).toEqual(['2027-06-05T00:00:00.000Z', '2027-06-07T00:00:00.000Z']);
    expect(plan.cluster).toBe('demo');
    const api = plan.targets.find((t) => t.target === 'api')!;
    expect(api.missingPoints).toBe(0);
    expect(api.peak!.load).toBeGreaterThan(0);
    // The weekend's weddings need more than the floor, within the bounds.
    expect(api.pods.peak).toBeGreaterThan(2);
    expect(api.pods.peak).toBeLessThanOrEqual(60);
    expect(Date.parse(api.pods.requestBy!)).toBe(Date.parse(api.pods.neededAt!) - 180_000);
    // 3.92 vCPU / 0.5 → 7 pods per node; memory 14.5 / 1 → 14: cpu binds.
    expect(api.nodes).toMatchObject({ pool: 'general', podsPerNode: 7, peak: Math.ceil(api.pods.peak / 7) });
    expect(api.cost.perReplicaHour).toBeCloseTo(API_PRICE, 10);
    expect(api.cost.window).toBeCloseTo(API_PRICE * api.cost.replicaHours, 8);
    expect(api.cost.replicaHours).toBeGreaterThanOrEqual(2 * 48);
    expect(plan.pools.map((p) => p.pool).sort()).toEqual(['general', 'spot']);
    expect(plan.cost.window).toBeCloseTo(
      plan.targets.reduce((s, t) => s + t.cost.window!, 0),
      8,
    );
  });

  it('GET /capacity-plan: an explicit window; bad input is a 400 naming the field; viewer token needed', async () => {
    const ok = await request(base).get('/api/v1/capacity-plan?from=2027-06-05T12:00:00Z&to=2027-06-05T18:00:00Z').set(viewer()).expect(200);
    expect([ok.body.from, ok.body.to]).toEqual(['2027-06-05T12:00:00.000Z', '2027-06-05T18:00:00.000Z']);
    const bad = async (q: string, field: string, reason: RegExp) => {
      const res = await request(base).get(`/api/v1/capacity-plan?${q}`).set(viewer()).expect(400);
      expect(res.body.details).toEqual([{ field, reason: expect.stringMatching(reason) }]);
    };
    await bad('from=2027-06-06T00:00:00Z&to=2027-06-05T00:00:00Z', 'query.to', /after from/);
    await bad('from=2027-06-05T00:00:00Z&to=2027-06-25T00:00:00Z', 'query.to', /at most 14 days/);
    await bad('from=2027-05-01T00:00:00Z&to=2027-05-02T00:00:00Z', 'query.to', /has passed/);
    await bad('from=2027-12-01T00:00:00Z', 'query.from', /at most 60 days ahead/);
    await bad('from=saturday', 'query.from', /ISO-8601/);
    await bad('window=weekend', 'query', /window/);
    await request(base).get('/api/v1/capacity-plan').expect(401);
  });

  it('decision reasons price the protections in force: an operator floor says what it costs per hour', async () => {
    const until = new Date(agent.state.info.lastTickMs! + 3_600_000).toISOString();
    await request(base)
      .post('/api/v1/overrides')
      .set('Authorization', `Bearer ${tokens.operator}`)
      .send({ target: 'api', type: 'floor', replicas: 50, until, reason: 'gala dinner' })
      .expect(202); // memory only: not durable, in force
    await agent.loop.trigger();
    const d = agent.state.targets.get('api')!.decision!;
    const floor = d.reasons.find((r) => r.rule === 'override-floor')!;
    const added = Number(/\(\+(\d+) replicas? ×/.exec(floor.detail)?.[1]);
    expect(added).toBeGreaterThan(0);
    expect(floor.detail).toMatch(
      new RegExp(`; costs ${(added * API_PRICE).toFixed(added * API_PRICE >= 1 ? 2 : 4)} USD/h \\(\\+${added} replicas? × 0\\.0272 USD\\)$`),
    );
  });
});
