/**
 * The calendar hold shared through the durable state (issue 12, defect 3): two replicas, each with its own
 * CalendarStore, CalendarRefresher and DurableStateStore over one ConfigMap (the in-memory Kubernetes API,
 * resourceVersion → 409 like the server), read the same calendar file. A confirmation made on one applies
 * the held update on the other; a restarted replica judges its first calendar against the stored summary.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { configSchema } from '../app/config-schema';
import { indexCalendar } from '../calendar/rules';
import { createAgentMetrics } from '../metrics/agent-metrics';
import { ConfigMapStateBackend, STATE_DATA_KEY } from '../durable/configmap-backend';
import { decodeDocument } from '../durable/durable-document';
import { DurableStateStore } from '../durable/durable-state-store';
import { InMemoryKubeApi } from '../../test-support/in-memory-kube-api';
import { AgentState } from '../state';
import { ManualClock } from '../util/clock';
import { createLogger } from '../util/logger';
import { CalendarRefresher } from './calendar-refresher';
import { CalendarStore } from './calendar-store';

const DAY = 86_400_000;
const T0 = Date.parse('2027-05-01T12:00:00Z');
const wedding = (id: string, daysAhead: number) => ({
  id,
  title: id,
  start: new Date(T0 + daysAhead * DAY).toISOString(),
  timezone: 'UTC',
  days: 1,
  guests: 100,
  tradition: 'british',
  vendors: 1,
});
const FULL = JSON.stringify({ weddings: [wedding('a', 3), wedding('b', 10), wedding('c', 17), wedding('d', 24)] });
const EMPTY = '{"weddings":[]}';

describe('calendar hold shared by two replicas through the durable state (in-memory Kubernetes API)', () => {
  let api: InMemoryKubeApi;
  let dir: string;
  let clock: ManualClock;
  const config = configSchema.parse({
    sources: { p: { type: 'push' } },
    calendar: { sources: [{ format: 'json', location: 'w.json' }] },
    targets: [{ id: 'api', kubernetes: { namespace: 'n', name: 'api' }, load: { source: 'p', query: 'api' }, capacityPerPod: 10, maxReplicas: 50 }],
  });
  const write = (text: string) => writeFileSync(join(dir, 'w.json'), text);
  const stored = () => decodeDocument(api.configMaps.get('wedsync/wedsync-agent-state')?.data[STATE_DATA_KEY]).doc;

  function replica() {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (s: string) => void lines.push(s) });
    const state = new AgentState(
      { version: 't', cluster: 'c', mode: 'shadow', leader: false, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      [],
      indexCalendar({ weddings: [] }, config.wedding),
    );
    const durable = new DurableStateStore(new ConfigMapStateBackend(api, 'wedsync', 'wedsync-agent-state'), state, {
      clock: clock.now,
      logger,
      maxAuditEntries: 200,
      intervalMs: 3_600_000,
    });
    const store = new CalendarStore(
      config.calendar.sources,
      dir,
      clock.now,
      fetch,
      10_000,
      config.calendar.maxBytes,
      config.calendar.maxDropFraction,
      durable.calendarMemory(),
    );
    const refresher = new CalendarRefresher({ config, state, provider: store, metrics: createAgentMetrics(state, new Registry()), logger, clock: clock.now });
    durable.onRound(() => refresher.applyConfirmed());
    const weddings = () => new Set(state.calendar.days.map((d) => d.wedding.id)).size;
    const held = () => state.calendarSources[0]?.held ?? null;
    return { state, durable, store, refresher, lines, weddings, held, refresh: () => refresher.refresh(clock.now()) };
  }
  const replicas: Array<ReturnType<typeof replica>> = [];
  const start = async () => {
    const r = replica();
    replicas.push(r);
    await r.durable.start();
    return r;
  };

  beforeEach(() => {
    api = new InMemoryKubeApi();
    dir = mkdtempSync(join(tmpdir(), 'wedsync-cal-shared-'));
    clock = new ManualClock(T0);
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => r.durable.stop()));
  });

  test('a confirmation on one replica applies the held update on the other at its next round, logged as made elsewhere', async () => {
    write(FULL);
    const a = await start();
    const b = await start();
    await a.refresh();
    await b.refresh();
    await a.durable.sync();
    expect(stored().calendars['w.json']).toMatchObject({ upcoming: 4, atMs: T0 });

    clock.advance(60_000);
    write(EMPTY);
    await a.refresh();
    await b.refresh();
    expect([a.weddings(), b.weddings()]).toEqual([4, 4]);
    const fingerprint = a.held()!.fingerprint;
    expect(b.held()!.fingerprint).toBe(fingerprint);

    clock.advance(60_000);
    expect(await a.refresher.confirm('w.json', fingerprint, { actor: 'ann', reason: 'the venue closed' })).toMatchObject({ outcome: 'applied' });
    expect([a.weddings(), b.weddings()]).toEqual([0, 4]); // B has not heard yet
    await a.durable.sync();
    expect(stored().calendarConfirmations).toEqual([{ source: 'w.json', fingerprint, actor: 'ann', reason: 'the venue closed', atMs: T0 + 120_000 }]);
    expect(stored().calendars['w.json']).toMatchObject({ fingerprint, upcoming: 0 });
    await b.durable.sync();
    expect(b.weddings()).toBe(0);
    expect(b.held()).toBeNull();
    const log = b.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.msg).includes('another replica'));
    expect(log).toMatchObject({ source: 'w.json', fingerprint, confirmedBy: 'ann', reason: 'the venue closed', upcomingBefore: 4, upcomingAfter: 0 });
    expect(a.lines.join('')).not.toContain('another replica');

    // The calendar comes back (applied on both), then empties again: the old confirmation does not cover it.
    clock.advance(60_000);
    write(FULL);
    await a.refresh();
    await b.refresh();
    expect([a.weddings(), b.weddings()]).toEqual([4, 4]);
    clock.advance(60_000);
    write(EMPTY);
    await a.refresh();
    await b.refresh();
    await a.durable.sync();
    await b.durable.sync();
    expect([a.weddings(), b.weddings()]).toEqual([4, 4]);
    expect([a.held()?.fingerprint, b.held()?.fingerprint]).toEqual([fingerprint, fingerprint]);
  });

  test('a replica that reads the update only after it was confirmed elsewhere applies it at that refresh', async () => {
    write(FULL);
    const a = await start();
    const b = await start();
    await a.refresh();
    await b.refresh();
    write(EMPTY);
    clock.advance(60_000);
    await a.refresh();
    await a.refresher.confirm('w.json', a.held()!.fingerprint, { actor: 'ann', reason: 'cancelled' });
    await a.durable.sync();
    await b.durable.sync(); // nothing held on B yet
    expect(b.weddings()).toBe(4);
    await b.refresh();
    expect(b.weddings()).toBe(0);
    expect(b.held()).toBeNull();
    expect(b.lines.join('')).toContain('"confirmedBy":"ann"');
  });

  test('after a restart the first calendar is judged against the stored summary: a drop is held (its weddings used meanwhile), the same calendar is applied', async () => {
    write(FULL);
    const a = await start();
    await a.refresh();
    await a.durable.stop();

    // Restarted with the source serving one wedding of four: held, not taken as the new truth.
    clock.advance(3_600_000);
    write(JSON.stringify({ weddings: [wedding('d', 24)] }));
    const b = await start();
    await b.refresh();
    expect(b.held()).toMatchObject({ upcomingBefore: 4, upcomingAfter: 1, weddings: 1 });
    expect(b.weddings()).toBe(1); // nothing else in force: the held calendar's wedding is protected meanwhile
    await b.durable.sync();
    expect(stored().calendars['w.json']).toMatchObject({ upcoming: 4 }); // still the confirmed calendar's summary

    // Restarted again with the emptied calendar: held too.
    await b.durable.stop();
    write(EMPTY);
    const c = await start();
    await c.refresh();
    expect(c.held()).toMatchObject({ upcomingBefore: 4, upcomingAfter: 0 });
    expect(c.weddings()).toBe(0);
    // Confirmed: in force, and the next restart compares with it.
    expect(await c.refresher.confirm('w.json', c.held()!.fingerprint, { actor: 'ann', reason: 'season over' })).toMatchObject({ outcome: 'applied' });
    await c.durable.stop();
    write(EMPTY);
    const d = await start();
    await d.refresh();
    expect(d.held()).toBeNull();

    // The calendar stored as in force, read after a restart, is simply applied.
    await d.durable.stop();
    write(FULL);
    const e = await start();
    await e.refresh();
    expect([e.held(), e.weddings()]).toEqual([null, 4]);
  });

  test('weddings that ended while the agent was down are not counted as dropped', async () => {
    write(FULL);
    const a = await start();
    await a.refresh();
    await a.durable.stop();
    // 12 days later a and b are over and c was cancelled: one of the two upcoming dropped (50 %, not more),
    // where counting the stored 4 would make it 75 % and hold it.
    clock.advance(12 * DAY);
    write(JSON.stringify({ weddings: [wedding('d', 24)] }));
    const b = await start();
    await b.refresh();
    expect([b.held(), b.weddings()]).toEqual([null, 1]);
  });

  test('with the stored state set aside (corrupt), an empty calendar is held, not applied; a non-empty one is applied', async () => {
    await api.createConfigMap('wedsync', 'wedsync-agent-state', { [STATE_DATA_KEY]: '{"calendars": {"w.json": {"fingerp' });
    write(EMPTY);
    const a = await start();
    expect(stored().setAside).toMatchObject({ reason: expect.stringMatching(/^not JSON/) });
    await a.refresh();
    expect(a.held()).toMatchObject({ upcomingAfter: 0 });
    write(FULL);
    await a.refresh();
    expect([a.held(), a.weddings()]).toEqual([null, 4]);
  });
});
