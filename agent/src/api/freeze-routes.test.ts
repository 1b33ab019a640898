import request from 'supertest';
import { targetCalendar } from '../calendar/target-calendar';
import { createAgentMetrics } from '../metrics/agent-metrics';
import { startTestApi, NOW, HOUR, type TestApi } from './__fixtures__/harness';
import { deployFreezeSchema } from './schemas';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

/** What a tick at `atMs` stores: each target's view, with its calendar answer (and the freeze in it). */
function tick(atMs: number): void {
  for (const t of api.state.targets.values()) {
    t.view = { atMs, load: 180, readError: null, overrides: [], calendar: targetCalendar(api.state.calendar, t.config, atMs) };
  }
}

const get = (q = '', role: 'viewer' | null = 'viewer') => {
  const r = request(api.base).get(`/api/v1/deploy-freeze${q}`);
  return role ? r.set(api.auth(role)) : r;
};

describe('GET /deploy-freeze', () => {
  it('before the first tick the freeze is unknown: evaluatedAt is null and nothing claims to be frozen', async () => {
    const body = deployFreezeSchema.parse((await get().expect(200)).body);
    expect(body.targets.every((t) => t.evaluatedAt === null && !t.frozen)).toBe(true);
  });

  it('on the Saturday: frozen until the London window ends, naming the wedding; a Tokyo-only target is not frozen', async () => {
    tick(NOW);
    const body = deployFreezeSchema.parse((await get().expect(200)).body);
    expect(body.frozen).toBe(true);
    const byId = Object.fromEntries(body.targets.map((t) => [t.id, t]));
    expect(byId.api).toMatchObject({
      frozen: true,
      evaluatedAt: new Date(NOW).toISOString(),
      kubernetes: { kind: 'Deployment', namespace: 'wedsync', name: 'svc-0' },
    });
    expect(byId.api.weddings.map((w) => [w.id, w.title, w.timezone, w.localDate])).toEqual([['w-london', 'Ada & Ben', 'Europe/London', '2027-06-05']]);
    expect(byId.api.until).toBe(byId.api.weddings[0].end);
    expect(Date.parse(byId.api.until!)).toBeGreaterThan(NOW);
    expect(byId['photo-upload']).toMatchObject({ frozen: false, since: null, until: null, weddings: [] });
    expect(body.until).toBe(byId.api.until);
    expect(body.reasons).toHaveLength(2); // api and svc-2 serve every zone
    expect(body.reasons[0]).toMatch(/^api: 1 wedding\(s\) live on a protected day until .*Ada & Ben \(w-london/);
  });

  it('the metric and the route say the same (one fact): wedsync_agent_deploy_freeze reads the same view', async () => {
    tick(NOW);
    const m = createAgentMetrics(api.state);
    const text = await m.registry.metrics();
    expect(text).toMatch(/wedsync_agent_deploy_freeze\{target="api"\} 1/);
    expect(text).toMatch(/wedsync_agent_deploy_freeze\{target="photo-upload"\} 0/);
  });

  it('the next day nothing is frozen', async () => {
    tick(NOW + 24 * HOUR);
    const body = deployFreezeSchema.parse((await get().expect(200)).body);
    expect(body).toMatchObject({ frozen: false, since: null, until: null, reasons: [] });
  });

  it('?target= narrows to one target; an unknown one is 404 naming the known ids; a bad query is 400', async () => {
    tick(NOW);
    const one = deployFreezeSchema.parse((await get('?target=photo-upload').expect(200)).body);
    expect(one.targets.map((t) => t.id)).toEqual(['photo-upload']);
    expect(one.frozen).toBe(false);
    const nf = await get('?target=ghost').expect(404);
    expect(nf.body.error).toMatch(/unknown target "ghost" \(known: api, photo-upload, svc-2\)/);
    const bad = await get('?when=now').expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/when/);
  });

  it('shows the last break glass on its target', async () => {
    api.state.breakGlass.push({
      targetId: 'api',
      atMs: NOW,
      by: 'kubectl-edit',
      reason: 'INC-42 payment outage',
      generation: 7,
      duringFreeze: true,
      weddings: ['w-london'],
    });
    const body = deployFreezeSchema.parse((await get('?target=api').expect(200)).body);
    expect(body.targets[0].lastBreakGlass).toEqual({
      at: new Date(NOW).toISOString(),
      by: 'kubectl-edit',
      reason: 'INC-42 payment outage',
      duringFreeze: true,
      weddings: ['w-london'],
    });
  });

  it('401 without a token', async () => {
    await get('', null).expect(401);
  });
});
