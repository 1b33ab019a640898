import request from 'supertest';
import { startTestApi, HOUR, NOW, type TestApi } from './__fixtures__/harness';
import { anomalyListSchema, auditListSchema, calendarListSchema, decisionListSchema, forecastSchema, statusSchema } from './schemas';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const get = (path: string, role: 'viewer' | 'admin' | null = 'viewer') => {
  const r = request(api.base).get(`/api/v1${path}`);
  return role ? r.set(api.auth(role)) : r;
};

describe('GET /status', () => {
  it('describes the agent, every target, sinks and calendar sources', async () => {
    const res = await get('/status').expect(200);
    const body = statusSchema.parse(res.body);
    expect(body.agent).toMatchObject({
      version: '0.0.0-test',
      mode: 'dry-run',
      leader: true,
      ticks: 3,
      now: '2027-06-05T14:00:00.000Z',
      lastTick: '2027-06-05T14:00:00.000Z',
    });
    expect(body.targets.map((t) => t.id)).toEqual(['api', 'photo-upload', 'svc-2']);
    const t = body.targets[0];
    expect(t.replicas).toEqual({ current: 5, ready: 5, desired: 6, min: 2, max: 40 });
    expect(t.load).toMatchObject({ observed: 180, stale: false, error: null, forecastAtLead: 200 });
    expect(t.lastDecision?.reasons[0].rule).toBe('reactive');
    expect(t.protections).toEqual(['saturday']);
    expect(t.deployFreeze).toBe(true);
    expect(body.sinks).toEqual([]);
    expect(body.agent).toMatchObject({ provider: 'other', region: 'unknown' });
    expect(body.fleet).toBeNull();
  });

  it('shows the identity and the peer clusters as the fleet source last saw them', async () => {
    Object.assign(api.state.info, { provider: 'gke', region: 'europe-west1' });
    api.state.fleet = {
      cluster: 'test',
      share: 1,
      dataOk: true,
      error: null,
      checkedAtMs: NOW,
      watchingSinceMs: NOW - HOUR,
      peers: [
        {
          cluster: 'eu-b',
          share: 2,
          health: 'lost',
          lastSeenMs: NOW - 130_000,
          lostSinceMs: NOW - 10_000,
          reason: 'its last wedsync_agent_info sample is 130 s old',
        },
      ],
    };
    try {
      const body = statusSchema.parse((await get('/status').expect(200)).body);
      expect(body.agent).toMatchObject({ provider: 'gke', region: 'europe-west1' });
      expect(body.fleet).toEqual({
        dataOk: true,
        error: null,
        checkedAt: new Date(NOW).toISOString(),
        peers: [
          {
            cluster: 'eu-b',
            share: 2,
            health: 'lost',
            lastSeen: new Date(NOW - 130_000).toISOString(),
            lostSince: new Date(NOW - 10_000).toISOString(),
            reason: 'its last wedsync_agent_info sample is 130 s old',
          },
        ],
      });
    } finally {
      api.state.fleet = null;
      Object.assign(api.state.info, { provider: undefined, region: undefined });
    }
  });

  it('says why scaling a target failed, so operators need not grep logs', async () => {
    const t = api.state.targets.get('svc-2')!;
    t.lastScaleError = 'forbidden: the agent may not patch deployments/scale in namespace shop (RBAC)';
    api.state.info.ticks++; // a tick ends: the status is rebuilt
    const res = await get('/status').expect(200);
    expect(statusSchema.parse(res.body).targets.map((x) => x.scaleError)).toEqual([null, null, t.lastScaleError]);
    t.lastScaleError = null;
    api.state.info.ticks--;
  });

  it('shows active overrides on their target and drops expired ones', async () => {
    api.state.importOverrides([
      { id: 'o1', targetId: 'api', type: 'floor', replicas: 8, untilMs: NOW + HOUR, untilWeddingEnds: false, reason: 'r', author: 'a', createdAtMs: NOW },
      { id: 'o2', targetId: 'api', type: 'freeze', untilMs: NOW - 1, untilWeddingEnds: false, reason: 'old', author: 'a', createdAtMs: NOW - HOUR },
    ]);
    const res = await get('/status').expect(200);
    expect(res.body.targets[0].overrides.map((o: { id: string }) => o.id)).toEqual(['o1']);
    for (const id of ['o1', 'o2']) api.state.removeOverride(id);
  });

  it('401 without a token, with a wrong token, with a malformed header', async () => {
    await get('/status', null)
      .expect(401)
      .expect('www-authenticate', /Bearer/);
    await request(api.base).get('/api/v1/status').set('Authorization', 'Bearer not-a-real-token-000000').expect(401);
    await request(api.base)
      .get('/api/v1/status')
      .set('Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`)
      .expect(401);
  });

  it('accepts a token configured as a sha256 digest', async () => {
    await request(api.base).get('/api/v1/status').set('Authorization', 'Bearer config-operator-token-eeeeeeee').expect(200);
  });

  it('400 on unknown query parameters, naming them', async () => {
    const res = await get('/status?verbose=1').expect(400);
    expect(res.body.details[0].field).toBe('query');
    expect(res.body.details[0].reason).toMatch(/verbose/);
  });
});

describe('GET /targets/:id/forecast', () => {
  it('returns the forecast with bounds', async () => {
    const res = await get('/targets/api/forecast').expect(200);
    const f = forecastSchema.parse(res.body);
    expect(f).toMatchObject({ target: 'api', method: 'test', coldStart: false });
    expect(f.points).toHaveLength(48);
    expect(f.points[0]).toEqual({ t: '2027-06-05T15:00:00.000Z', value: 200, lower: 150, upper: 250 });
  });
  it('cuts the forecast at ?horizon= hours', async () => {
    const res = await get('/targets/api/forecast?horizon=6').expect(200);
    expect(res.body.points).toHaveLength(6);
  });
  it('says "none" before the first forecast', async () => {
    api.state.targets.get('svc-2')!.forecast = null;
    const res = await get('/targets/svc-2/forecast').expect(200);
    expect(res.body).toEqual({ target: 'svc-2', method: 'none', coldStart: true, points: [] });
  });
  it('404 for an unknown target, 400 for a bad horizon, 401 without a token', async () => {
    const nf = await get('/targets/nope/forecast').expect(404);
    expect(nf.body.error).toMatch(/unknown target "nope"/);
    for (const h of ['0', '-1', 'abc', '10000']) {
      const res = await get(`/targets/api/forecast?horizon=${h}`).expect(400);
      expect(res.body.details[0].field).toBe('query.horizon');
    }
    await get('/targets/api/forecast', null).expect(401);
  });
});

describe('GET /decisions', () => {
  it('newest first, filtered by target, since and limit', async () => {
    const all = decisionListSchema.parse((await get('/decisions').expect(200)).body).decisions;
    expect(all).toHaveLength(6);
    expect(Date.parse(all[0].at)).toBeGreaterThanOrEqual(Date.parse(all[5].at));
    const one = (await get('/decisions?target=api').expect(200)).body.decisions;
    expect(one.map((d: { target: string }) => d.target)).toEqual(['api', 'api']);
    const recent = (await get(`/decisions?since=${new Date(NOW - 60_000).toISOString()}`).expect(200)).body.decisions;
    expect(recent).toHaveLength(3);
    expect((await get('/decisions?limit=2').expect(200)).body.decisions).toHaveLength(2);
  });
  it('400 for bad since or limit, 404 for an unknown target, 401 without a token', async () => {
    expect((await get('/decisions?since=yesterday').expect(400)).body.details[0]).toMatchObject({
      field: 'query.since',
      reason: expect.stringMatching(/ISO-8601/),
    });
    expect((await get('/decisions?limit=0').expect(400)).body.details[0].field).toBe('query.limit');
    expect((await get('/decisions?limit=5000').expect(400)).body.details[0].field).toBe('query.limit');
    expect((await get('/decisions?limit=1&limit=2').expect(400)).body.details[0].field).toBe('query.limit');
    await get('/decisions?target=ghost').expect(404);
    await get('/decisions', null).expect(401);
  });
});

describe('GET /anomalies', () => {
  it('lists recent anomalies', async () => {
    const list = anomalyListSchema.parse((await get('/anomalies?target=photo-upload').expect(200)).body).anomalies;
    expect(list).toEqual([{ target: 'photo-upload', series: 'load', at: '2027-06-05T13:30:00.000Z', value: 400, score: 0.9, kind: 'spike' }]);
    expect((await get(`/anomalies?since=${new Date(NOW).toISOString()}`).expect(200)).body.anomalies).toEqual([]);
  });
  it('400, 404, 401', async () => {
    await get('/anomalies?since=2027-13-01T00:00:00Z').expect(400);
    await get('/anomalies?target=ghost').expect(404);
    await get('/anomalies', null).expect(401);
  });
});

describe('GET /calendar', () => {
  it('lists wedding days in the next 7 days by default, with protection flags', async () => {
    const body = calendarListSchema.parse((await get('/calendar').expect(200)).body);
    expect(body.from).toBe('2027-06-05T14:00:00.000Z');
    expect(body.windows.map((w) => `${w.weddingId}#${w.day}`)).toEqual(['w-london#0', 'w-kolkata#0', 'w-kolkata#1', 'w-kolkata#2']);
    const london = body.windows[0];
    expect(london).toMatchObject({
      title: 'Ada & Ben',
      localDate: '2027-06-05',
      saturdayProtection: true,
      start: '2027-06-05T10:00:00.000Z',
      end: '2027-06-05T20:00:00.000Z',
      guests: 150,
    });
    // 12 June 2027 is a Saturday in Kolkata: the last day of the three-day wedding is protected.
    expect(body.windows.map((w) => w.saturdayProtection)).toEqual([true, false, false, true]);
  });
  it("honours from/to and a target's time zones", async () => {
    const body = (await get('/calendar?from=2027-06-09T00:00:00Z&to=2027-06-11T00:00:00Z').expect(200)).body;
    expect(body.windows.map((w: { day: number }) => w.day)).toEqual([0]);
    expect((await get('/calendar?target=photo-upload').expect(200)).body.windows).toEqual([]);
  });
  it('400 when to is not after from or the range is too long; 404 unknown target; 401', async () => {
    expect((await get('/calendar?from=2027-06-09T00:00:00Z&to=2027-06-08T00:00:00Z').expect(400)).body.details[0].field).toBe('query.to');
    await get('/calendar?from=2027-01-01T00:00:00Z&to=2029-01-01T00:00:00Z').expect(400);
    await get('/calendar?target=ghost').expect(404);
    await get('/calendar', null).expect(401);
  });
});

describe('GET /audit', () => {
  it('lists audit entries newest first', async () => {
    api.state.audit.push({ atMs: NOW - 1000, actor: 'x', role: 'operator', action: 'override.create', targetId: 'api', detail: { id: 'o' } });
    api.state.audit.push({ atMs: NOW, actor: 'y', role: 'admin', action: 'override.delete', detail: {} });
    const body = auditListSchema.parse((await get('/audit').expect(200)).body);
    expect(body.entries.map((e) => e.actor)).toEqual(['y', 'x']);
    expect(body.entries[1].target).toBe('api');
    expect((await get(`/audit?since=${new Date(NOW).toISOString()}&limit=5`).expect(200)).body.entries).toHaveLength(1);
  });
  it('400 on a bad since, 401 without a token', async () => {
    await get('/audit?since=1').expect(400);
    await get('/audit', null).expect(401);
  });
});

describe('unknown routes', () => {
  it('404 as JSON for an authenticated caller, 401 for an anonymous one', async () => {
    const res = await get('/nothing-here').expect(404);
    expect(res.body.error).toMatch(/no route GET/);
    await get('/nothing-here', null).expect(401);
  });
});
