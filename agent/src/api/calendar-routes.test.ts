/** POST /calendar/confirm: an operator applies a held calendar update, named by source and fingerprint (issue 12). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import request from 'supertest';
import { indexCalendar } from '../calendar/rules';
import { configSchema } from '../app/config-schema';
import { createAgentMetrics } from '../metrics/agent-metrics';
import { CalendarRefresher } from '../sources/calendar-refresher';
import { CalendarStore } from '../sources/calendar-store';
import { silentLogger } from '../util/logger';
import { NOW, snapshot, startTestApi, type TestApi } from './__fixtures__/harness';
import { calendarConfirmResultSchema, statusSchema } from './schemas';

const DAY = 86_400_000;
const wedding = (id: string, daysAhead: number) => ({
  id,
  title: id,
  start: new Date(NOW + daysAhead * DAY).toISOString().replace('Z', '+00:00'),
  timezone: 'Europe/London',
  days: 1,
  guests: 120,
  tradition: 'british',
  vendors: 2,
});

let api: TestApi;
let refresher: CalendarRefresher;
let dir: string;
afterEach(() => api.close());

/** An agent-like calendar: a file source with three upcoming weddings, then an update that empties it (held). */
async function withHeldUpdate(): Promise<{ fingerprint: string }> {
  dir = mkdtempSync(join(tmpdir(), 'wedsync-confirm-'));
  writeFileSync(join(dir, 'weddings.json'), JSON.stringify({ weddings: [wedding('a', 1), wedding('b', 8), wedding('c', 15)] }));
  const config = configSchema.parse({
    sources: { p: { type: 'push' } },
    calendar: { sources: [{ format: 'json', location: 'weddings.json' }] },
    targets: [{ id: 'api', kubernetes: { namespace: 'n', name: 'api' }, load: { source: 'p', query: 'x' }, capacityPerPod: 10, maxReplicas: 10 }],
  });
  let confirmer: CalendarRefresher | undefined;
  api = await startTestApi({}, { calendar: { confirm: (l, f) => confirmer!.confirm(l, f) } });
  const store = new CalendarStore(config.calendar.sources, dir, api.clock.now, fetch, 10_000, config.calendar.maxBytes, config.calendar.maxDropFraction);
  api.state.calendar = indexCalendar({ weddings: [] }, config.wedding);
  refresher = confirmer = new CalendarRefresher({
    config,
    state: api.state,
    provider: store,
    metrics: createAgentMetrics(api.state, new Registry()),
    logger: silentLogger,
    clock: api.clock.now,
  });
  await refresher.refresh(api.clock.now());
  writeFileSync(join(dir, 'weddings.json'), '{"weddings":[]}');
  await refresher.refresh(api.clock.now());
  return { fingerprint: api.state.calendarSources[0].held!.fingerprint };
}

const confirm = (body: unknown, role: 'admin' | 'operator' | 'viewer' = 'admin') =>
  request(api.base)
    .post('/api/v1/calendar/confirm')
    .set(api.auth(role))
    .send(body as object);

describe('POST /calendar/confirm', () => {
  it('GET /status shows the held update; the admin confirms it by fingerprint; it is applied at once and audited', async () => {
    const { fingerprint } = await withHeldUpdate();
    const status = statusSchema.parse((await request(api.base).get('/api/v1/status').set(api.auth('viewer')).expect(200)).body);
    expect(status.calendar).toEqual([
      {
        location: 'weddings.json',
        ok: true,
        weddings: 3,
        lastSuccess: new Date(NOW).toISOString(),
        lastError: null,
        held: { fingerprint, upcomingBefore: 3, upcomingAfter: 0, weddings: 0, since: new Date(NOW).toISOString() },
        skippedEvents: 0,
        notedEvents: 0,
        issues: [],
      },
    ]);
    expect(new Set(api.state.calendar.days.map((d) => d.wedding.id))).toEqual(new Set(['a', 'b', 'c']));

    const res = await confirm({ source: 'weddings.json', fingerprint, reason: 'the season was moved to another calendar' }).expect(200);
    expect(calendarConfirmResultSchema.parse(res.body)).toEqual({
      source: 'weddings.json',
      fingerprint,
      upcomingBefore: 3,
      upcomingAfter: 0,
      weddings: 0,
      since: new Date(NOW).toISOString(),
    });
    expect(api.state.calendar.days).toHaveLength(0);
    expect(api.state.calendarSources[0].held).toBeNull();
    expect(api.audits.map((a) => [a.action, a.actor, a.detail.fingerprint, a.detail.reason])).toEqual([
      ['calendar.confirm', 'env-admin-1', fingerprint, 'the season was moved to another calendar'],
    ]);
    // Confirmed once: a second confirmation finds nothing held.
    expect((await confirm({ source: 'weddings.json', fingerprint, reason: 'again' }).expect(409)).body.error).toMatch(/no calendar update is held/);
  });

  it('409 when the fingerprint names another update than the one held now; nothing applied', async () => {
    const { fingerprint } = await withHeldUpdate();
    // A later, different update replaces the held one: the old confirmation must not apply it.
    writeFileSync(join(dir, 'weddings.json'), JSON.stringify({ weddings: [wedding('z', 30)] }));
    await refresher.refresh(api.clock.now());
    const now = api.state.calendarSources[0].held!.fingerprint;
    expect(now).not.toBe(fingerprint);
    const before = snapshot(api);
    const res = await confirm({ source: 'weddings.json', fingerprint, reason: 'r' }).expect(409);
    expect(res.body.error).toContain(`is ${now} (3 → 1 upcoming weddings), not ${fingerprint}`);
    expect(api.state.calendar.days).toHaveLength(3);
    expect(snapshot(api)).toBe(before);
  });

  it('400 naming the field for a bad body or an unknown source; 403 below admin; 401 anonymous; 415 not JSON', async () => {
    const { fingerprint } = await withHeldUpdate();
    const before = snapshot(api);
    expect((await confirm({ source: 'weddings.json', fingerprint: 'XYZ', reason: 'r' }).expect(400)).body.details).toEqual([
      { field: 'fingerprint', reason: expect.stringMatching(/16 hex digits/) },
    ]);
    expect((await confirm({ source: 'weddings.json', fingerprint }).expect(400)).body.details).toEqual([{ field: 'reason', reason: expect.any(String) }]);
    expect((await confirm({ source: 'weddings.json', fingerprint, reason: 'r', extra: 1 }).expect(400)).body.details[0].reason).toMatch(/extra/);
    expect((await confirm({ source: 'other.json', fingerprint, reason: 'r' }).expect(400)).body.details).toEqual([
      { field: 'source', reason: expect.stringMatching(/no calendar source "other.json"/) },
    ]);
    await confirm({ source: 'weddings.json', fingerprint, reason: 'r' }, 'viewer').expect(403);
    await confirm({ source: 'weddings.json', fingerprint, reason: 'r' }, 'operator').expect(403);
    await request(api.base).post('/api/v1/calendar/confirm').send({ source: 'weddings.json', fingerprint, reason: 'r' }).expect(401);
    await request(api.base).post('/api/v1/calendar/confirm').set(api.auth('admin')).set('Content-Type', 'text/plain').send('x').expect(415);
    expect(api.state.calendarSources[0].held?.fingerprint).toBe(fingerprint);
    expect(api.state.calendar.days).toHaveLength(3);
    expect(snapshot(api)).toBe(before);
  });
});
