/** /readyz as a Kubernetes readiness probe sees it: starting, ready, and stalled (issue 12). */
import request from 'supertest';
import { Registry } from 'prom-client';
import { configSchema } from '../app/config-schema';
import { indexCalendar } from '../calendar/rules';
import { AgentState } from '../state';
import { createApp } from './app';

function state(): AgentState {
  const config = configSchema.parse({
    sources: { p: { type: 'push' } },
    targets: [{ id: 'a', kubernetes: { namespace: 'n', name: 'a' }, load: { source: 'p', query: 'a' }, capacityPerPod: 1, maxReplicas: 2 }],
  });
  return new AgentState(
    { version: 't', cluster: 'c', mode: 'dry-run', leader: true, startedAtMs: 0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
    config.targets,
    indexCalendar({ weddings: [] }, config.wedding),
  );
}

describe('GET /readyz', () => {
  it('is 503 before the first tick, 200 after, and 503 again while the loop is stalled', async () => {
    const s = state();
    let stall: string | null = null;
    const app = createApp({ state: s, registry: new Registry(), stalled: () => stall });
    expect((await request(app).get('/readyz')).status).toBe(503);
    s.info.ready = true;
    expect((await request(app).get('/readyz')).status).toBe(200);
    stall = 'no tick has finished for 90 s (allowed 55 s)';
    const res = await request(app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'stalled', reason: stall });
  });
});

describe('GET /readyz and the API server', () => {
  it('says whether the API server answers, and stays ready while it does not (the agent still serves its picture)', async () => {
    const s = state();
    s.info.ready = true;
    const app = createApp({ state: s, registry: new Registry() });
    expect((await request(app).get('/readyz')).body).toEqual({ status: 'ready', ticks: 0 });
    s.info.kubernetes = { state: 'unreachable', sinceMs: Date.parse('2026-12-07T01:00:00Z'), error: 'connect ECONNREFUSED 127.0.0.1:6443' };
    const down = await request(app).get('/readyz');
    expect(down.status).toBe(200);
    expect(down.body.kubernetes).toBe('unreachable since 2026-12-07T01:00:00.000Z: connect ECONNREFUSED 127.0.0.1:6443');
    s.info.kubernetes = { state: 'connected', sinceMs: Date.parse('2026-12-07T01:01:00Z'), error: null };
    expect((await request(app).get('/readyz')).body.kubernetes).toBe('connected');
  });
});
