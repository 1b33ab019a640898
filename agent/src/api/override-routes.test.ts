import request from 'supertest';
import { Writable } from 'node:stream';
import { startTestApi, snapshot, HOUR, NOW, type TestApi } from './__fixtures__/harness';
import { overrideListSchema, overrideSchema } from './schemas';
import type { Role } from '../config/schema';
import { Registry } from 'prom-client';
import { createLogger } from '../util/logger';
import { createApiRouter } from './router';
import { createApp } from './app';
import { sha256Hex } from './auth';

let api: TestApi;
beforeEach(async () => {
  api = await startTestApi();
});
afterEach(() => api.close());

const post = (body: unknown, role: Role | null = 'operator') => {
  const r = request(api.base).post('/api/v1/overrides');
  return (role ? r.set(api.auth(role)) : r).send(body as object);
};
const inHours = (h: number) => new Date(NOW + h * HOUR).toISOString();

describe('POST /overrides', () => {
  it('sets a pin until an instant; the author comes from the token; it is audited three ways', async () => {
    const res = await post({ target: 'api', type: 'pin', replicas: 12, until: inHours(2), reason: 'load test' }).expect(201);
    const o = overrideSchema.parse(res.body);
    expect(o).toMatchObject({
      target: 'api',
      type: 'pin',
      replicas: 12,
      until: '2027-06-05T16:00:00.000Z',
      untilWeddingEnds: false,
      author: 'env-operator-1',
      createdAt: '2027-06-05T14:00:00.000Z',
    });
    expect(res.headers.location).toBe(`/api/v1/overrides/${o.id}`);
    expect(api.state.overrides).toEqual([expect.objectContaining({ id: o.id, targetId: 'api', untilMs: NOW + 2 * HOUR, replicas: 12 })]);
    const [entry] = api.state.audit.toArray().slice(-1);
    expect(entry).toMatchObject({ actor: 'env-operator-1', role: 'operator', action: 'override.create', targetId: 'api', atMs: NOW });
    expect(api.audits).toEqual([entry]);
    expect(await api.registry.getSingleMetricAsString('wedsync_agent_audit_events_total')).toMatch(/action="override.create"} 1/);
    const list = overrideListSchema.parse((await request(api.base).get('/api/v1/overrides').set(api.auth('viewer')).expect(200)).body);
    expect(list.overrides.map((x) => x.id)).toEqual([o.id]);
  });

  it('resolves untilWeddingEnds to the end of the live wedding windows of the target', async () => {
    const res = await post({ target: 'api', type: 'freeze', untilWeddingEnds: true, reason: 'first dance' }, 'coordinator').expect(201);
    expect(res.body).toMatchObject({ until: '2027-06-05T20:00:00.000Z', untilWeddingEnds: true, author: 'env-coordinator-1' });
  });

  it('refuses untilWeddingEnds when no wedding is live for the target (400, nothing changes)', async () => {
    const before = snapshot(api);
    // photo-upload serves Asia/Tokyo only; nobody marries there today.
    const res = await post({ target: 'photo-upload', type: 'floor', replicas: 6, untilWeddingEnds: true, reason: 'x' }).expect(400);
    expect(res.body.details).toEqual([{ field: 'untilWeddingEnds', reason: 'no wedding is live for target "photo-upload" now' }]);
    api.clock.nowMs = NOW + 7 * HOUR; // 21:00 UTC: the London wedding is over
    await post({ target: 'api', type: 'freeze', untilWeddingEnds: true, reason: 'x' }).expect(400);
    expect(snapshot(api)).toBe(before);
  });

  it('refuses until in the past or beyond the horizon, naming the field', async () => {
    const before = snapshot(api);
    expect((await post({ target: 'api', type: 'freeze', until: inHours(-1), reason: 'x' }).expect(400)).body.details[0]).toMatchObject({
      field: 'until',
      reason: expect.stringMatching(/in the past/),
    });
    expect((await post({ target: 'api', type: 'freeze', until: inHours(0), reason: 'x' }).expect(400)).body.details[0].field).toBe('until');
    expect((await post({ target: 'api', type: 'freeze', until: inHours(169), reason: 'x' }).expect(400)).body.details[0].reason).toMatch(
      /beyond the 168 h override horizon/,
    );
    await post({ target: 'api', type: 'freeze', until: inHours(168), reason: 'edge' }).expect(201);
    expect(JSON.parse(before).overrides).toEqual([]);
  });

  it.each([
    [{ type: 'pin', replicas: 3, until: '2027-06-05T16:00:00Z', reason: 'x' }, 'target'],
    [{ target: 'api', type: 'scale-to-zero', until: '2027-06-05T16:00:00Z', reason: 'x' }, 'type'],
    [{ target: 'api', type: 'pin', until: '2027-06-05T16:00:00Z', reason: 'x' }, 'replicas'],
    [{ target: 'api', type: 'freeze', replicas: 2, until: '2027-06-05T16:00:00Z', reason: 'x' }, 'replicas'],
    [{ target: 'api', type: 'pin', replicas: 2.5, until: '2027-06-05T16:00:00Z', reason: 'x' }, 'replicas'],
    [{ target: 'api', type: 'pin', replicas: -1, until: '2027-06-05T16:00:00Z', reason: 'x' }, 'replicas'],
    [{ target: 'api', type: 'pin', replicas: 41, until: '2027-06-05T16:00:00Z', reason: 'x' }, 'replicas'],
    [{ target: 'api', type: 'freeze', reason: 'x' }, 'until'],
    [{ target: 'api', type: 'freeze', until: '2027-06-05T16:00:00Z', untilWeddingEnds: true, reason: 'x' }, 'until'],
    [{ target: 'api', type: 'freeze', until: 'tomorrow', reason: 'x' }, 'until'],
    [{ target: 'api', type: 'freeze', until: '2027-06-05T16:00:00Z', reason: '   ' }, 'reason'],
    [{ target: 'api', type: 'freeze', until: '2027-06-05T16:00:00Z' }, 'reason'],
    [{ target: 'api', type: 'freeze', until: '2027-06-05T16:00:00Z', reason: 'x', author: 'someone-else' }, ''],
    [{ target: 'ghost', type: 'freeze', until: '2027-06-05T16:00:00Z', reason: 'x' }, 'target'],
  ])('400 for %j, naming %s', async (body, fieldName) => {
    const before = snapshot(api);
    const res = await post(body).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(fieldName || '(body)');
    expect(snapshot(api)).toBe(before);
  });

  it('400 for a body that is not an object or not JSON', async () => {
    await post([1, 2]).expect(400);
    const bad = await request(api.base)
      .post('/api/v1/overrides')
      .set(api.auth('operator'))
      .set('Content-Type', 'application/json')
      .send('{"target":')
      .expect(400);
    expect(bad.body.error).toBe('body is not valid JSON');
  });

  it('coordinators may only protect weddings: 403 for pins and instant-bound overrides, nothing changes', async () => {
    const before = snapshot(api);
    await post({ target: 'api', type: 'pin', replicas: 3, untilWeddingEnds: true, reason: 'x' }, 'coordinator').expect(403);
    await post({ target: 'api', type: 'floor', replicas: 8, until: inHours(1), reason: 'x' }, 'coordinator').expect(403);
    await post({ target: 'api', type: 'floor', replicas: 8, untilWeddingEnds: true, reason: 'x' }, 'viewer').expect(403);
    await post({ target: 'api', type: 'floor', replicas: 8, untilWeddingEnds: true, reason: 'x' }, null).expect(401);
    expect(snapshot(api)).toBe(before);
    await post({ target: 'api', type: 'floor', replicas: 8, untilWeddingEnds: true, reason: 'x' }, 'coordinator').expect(201);
  });

  it('admins may do what operators do', async () => {
    await post({ target: 'svc-2', type: 'pin', replicas: 0, until: inHours(1), reason: 'maintenance' }, 'admin').expect(201);
  });

  it('409 beyond the cap on active overrides', async () => {
    for (const o of api.state.overrides) api.state.removeOverride(o.id);
    api.state.importOverrides(
      Array.from({ length: 1000 }, (_, i) => ({
        id: `o${i}`,
        targetId: 'api',
        type: 'freeze' as const,
        untilMs: NOW + HOUR,
        untilWeddingEnds: false,
        reason: 'r',
        author: 'a',
        createdAtMs: NOW,
      })),
    );
    await post({ target: 'api', type: 'freeze', until: inHours(1), reason: 'one more' }).expect(409);
    expect(api.state.overrides).toHaveLength(1000);
  });

  it('writes one JSON audit log line and no token', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }));
    const router = createApiRouter({
      state: api.state,
      config: api.config.api,
      tokens: [{ name: 'alice', role: 'operator', sha256: sha256Hex('alice-secret-token-123') }],
      registry: new Registry(),
      clock: api.clock.now,
      logger,
    });
    const app = createApp({ state: api.state, registry: new Registry(), api: router });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    await request(`http://127.0.0.1:${port}`)
      .post('/api/v1/overrides')
      .set('Authorization', 'Bearer alice-secret-token-123')
      .send({ target: 'api', type: 'freeze', until: inHours(1), reason: 'x' })
      .expect(201);
    server.close();
    const audit = lines.map((l) => JSON.parse(l)).filter((l) => l.audit);
    expect(audit).toHaveLength(1);
    expect(audit[0].audit).toMatchObject({ actor: 'alice', action: 'override.create', targetId: 'api', at: '2027-06-05T14:00:00.000Z' });
    expect(lines.join('')).not.toContain('alice-secret-token-123');
  });
});

describe('DELETE /overrides/:id', () => {
  const create = async (body: object, role: Role = 'operator') => (await post(body, role).expect(201)).body.id as string;

  it('removes an override and audits it', async () => {
    const id = await create({ target: 'api', type: 'pin', replicas: 4, until: inHours(1), reason: 'x' });
    const res = await request(api.base).delete(`/api/v1/overrides/${id}`).set(api.auth('operator')).expect(200);
    expect(res.body.id).toBe(id);
    expect(api.state.overrides).toEqual([]);
    expect(api.audits.map((a) => a.action)).toEqual(['override.create', 'override.delete']);
  });

  it('404 for an unknown or expired override', async () => {
    await request(api.base).delete('/api/v1/overrides/nope').set(api.auth('operator')).expect(404);
    const id = await create({ target: 'api', type: 'freeze', until: inHours(1), reason: 'x' });
    api.clock.advance(HOUR);
    await request(api.base).delete(`/api/v1/overrides/${id}`).set(api.auth('operator')).expect(404);
  });

  it('coordinators remove wedding protections but not pins (403); viewers nothing (403); anonymous 401', async () => {
    const pin = await create({ target: 'api', type: 'pin', replicas: 4, until: inHours(1), reason: 'x' });
    const freeze = await create({ target: 'api', type: 'freeze', untilWeddingEnds: true, reason: 'x' }, 'coordinator');
    const before = snapshot(api);
    await request(api.base).delete(`/api/v1/overrides/${pin}`).set(api.auth('coordinator')).expect(403);
    await request(api.base).delete(`/api/v1/overrides/${freeze}`).set(api.auth('viewer')).expect(403);
    await request(api.base).delete(`/api/v1/overrides/${freeze}`).expect(401);
    expect(snapshot(api)).toBe(before);
    await request(api.base).delete(`/api/v1/overrides/${freeze}`).set(api.auth('coordinator')).expect(200);
  });

  it('400 for an over-long id', async () => {
    await request(api.base)
      .delete(`/api/v1/overrides/${'x'.repeat(65)}`)
      .set(api.auth('operator'))
      .expect(400);
  });
});

describe('GET /overrides', () => {
  it('filters by target; 404 for an unknown one; 400 for unknown parameters; 401 anonymous', async () => {
    await post({ target: 'svc-2', type: 'freeze', until: inHours(1), reason: 'x' }).expect(201);
    const get = (q: string) => request(api.base).get(`/api/v1/overrides${q}`).set(api.auth('viewer'));
    expect((await get('?target=api').expect(200)).body.overrides).toEqual([]);
    expect((await get('?target=svc-2').expect(200)).body.overrides).toHaveLength(1);
    await get('?target=ghost').expect(404);
    await get('?all=1').expect(400);
    await request(api.base).get('/api/v1/overrides').expect(401);
  });
});
