/**
 * The reproduction on a real agent (HTTP ingest → push source → loop → dry-run scaler, on a
 * manual clock): one point a year ahead must not freeze a pushed series.
 */
import request from 'supertest';
import { Agent } from '../app/agent';
import { parseConfig } from '../app/config-load';
import { ManualClock } from '../util/clock';
import { silentLogger } from '../util/logger';

const T0 = Date.parse('2027-01-12T10:00:00Z'); // a Tuesday in January: no weddings, no season
const TOKEN = 'operator-token-for-ingest-test';
const YAML = [
  'agent: { listen: { host: 127.0.0.1, port: 0 }, logLevel: silent }',
  'sources: { push: { type: push } }',
  'forecast: { backfillHours: 0 }',
  'policy: { maxScaleUpPods: 100 }',
  'targets:',
  '  - { id: web, kubernetes: { namespace: ns, name: web }, load: { source: push, query: web_rps }, capacityPerPod: 10, targetUtilization: 1, minReplicas: 1, maxReplicas: 50 }',
].join('\n');

describe('POST /ingest on a running agent: no point can take a series over', () => {
  let agent: Agent;
  let base: string;
  const clock = new ManualClock(T0);
  beforeAll(async () => {
    agent = new Agent(
      { config: parseConfig(YAML, 'agent.yaml', {}), file: 'agent.yaml', baseDir: '.' },
      { clock: clock.now, logger: silentLogger, env: { WEDSYNC_API_TOKENS: `operator:${TOKEN}` } },
    );
    base = `http://127.0.0.1:${(await agent.start()).port}`;
  });
  afterAll(() => agent.stop());

  const push = (points: Array<[number, number]>) =>
    request(base)
      .post('/api/v1/ingest')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ series: [{ name: 'web_rps', points }] })
      .expect(200);
  const web = () => agent.state.targets.get('web')!;

  it('refuses a point a year ahead; later pushes of 300 drive the reading; silence turns it stale', async () => {
    const future = await push([[T0 + 365 * 86_400_000, 1]]);
    expect(future.body).toMatchObject({ accepted: 0, rejected: { future: 1 } });
    for (let i = 1; i <= 3; i++) {
      clock.advance(15_000);
      const res = await push([[clock.nowMs, 300]]);
      expect(res.body).toMatchObject({ accepted: 1, rejected: { future: 0, out_of_order: 0 } });
      await agent.loop.trigger();
    }
    expect(web().observed).toEqual({ value: 300, atMs: clock.nowMs });
    expect(web().stale).toBe(false);
    expect(web().decision?.desiredReplicas).toBe(30);

    // A negative point is refused too, and counted.
    const negative = await push([[clock.nowMs, -300]]);
    expect(negative.body).toMatchObject({ accepted: 0, rejected: { negative: 1 } });
    const metrics = await request(base).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/wedsync_agent_ingest_points_rejected_total\{reason="future"\} 1/);
    expect(metrics.text).toMatch(/wedsync_agent_ingest_points_rejected_total\{reason="negative"\} 1/);

    // Nothing fresh for longer than the push source's staleAfterSeconds (120 s): stale, holding.
    clock.advance(121_000);
    await agent.loop.trigger();
    expect(web().stale).toBe(true);
    expect(web().decision).toMatchObject({ desiredReplicas: 30, holding: true });
  });
});
