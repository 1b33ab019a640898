/** Open pages across a restart: PageTracker.restore and PagePersistence over an in-memory OpenPagesStore. */
import { fixtureState, MINUTE, SATURDAY_4PM, sourceDown } from '../__fixtures__/condition-fixtures';
import type { OpenPagesStore, PageSnapshot } from '../../contracts/open-pages';
import { PagePersistence } from './page-persistence';
import { PageTracker, type PageEvent } from './page-tracker';

/** Source unreachable pages only after 2 minutes inside a protection window: a duration a restart must not re-time. */
const opts = { cluster: 'test', unreachableAfterMs: 2 * MINUTE, overloadUtilization: 1, overloadedAfterMs: 0 };
const sourceFailing = (now: number) => fixtureState(now, (t) => sourceDown(t.checkout, now));
const KEY = 'wedsync/test/load-source-unreachable/prom';

class MemoryPages implements OpenPagesStore {
  saved: PageSnapshot = { open: [], memory: {} };
  saves = 0;
  load = () => Promise.resolve(structuredClone(this.saved));
  save = (s: PageSnapshot) => {
    this.saved = structuredClone(s);
    this.saves++;
    return Promise.resolve();
  };
}

/** One agent life: a tracker, its persistence, and the events it "delivered". */
async function life(store: MemoryPages) {
  const tracker = new PageTracker(opts);
  const persistence = new PagePersistence(store, tracker);
  await persistence.restore();
  return (now: number, state = sourceFailing(now)): PageEvent[] => {
    const events = tracker.next(state, now);
    persistence.afterEvaluation();
    persistence.onDelivered(events);
    return events;
  };
}

describe('open pages across a restart', () => {
  test('a page still open after a restart is not re-triggered, and clears with exactly one resolve', async () => {
    const store = new MemoryPages();
    const first = await life(store);
    const t0 = SATURDAY_4PM;
    expect(first(t0)).toEqual([]);
    expect(first(t0 + 2 * MINUTE).map((e) => [e.action, e.dedupKey])).toEqual([['trigger', KEY]]);
    expect(store.saved.open.map((p) => p.dedupKey)).toEqual([KEY]);

    // Restart (the process died; nothing was resolved): the condition still holds.
    const second = await life(store);
    expect(second(t0 + 3 * MINUTE)).toEqual([]);
    expect(second(t0 + 4 * MINUTE)).toEqual([]);
    const cleared = second(t0 + 5 * MINUTE, fixtureState(t0 + 5 * MINUTE));
    expect(cleared).toEqual([{ action: 'resolve', kind: 'load-source-unreachable', dedupKey: KEY, atMs: t0 + 5 * MINUTE }]);
    expect(second(t0 + 6 * MINUTE, fixtureState(t0 + 6 * MINUTE))).toEqual([]);
    expect(store.saved.open).toEqual([]);
  });

  test('a page whose condition cleared while the agent was down is resolved at the first evaluation', async () => {
    const store = new MemoryPages();
    const first = await life(store);
    first(SATURDAY_4PM);
    expect(first(SATURDAY_4PM + 2 * MINUTE)).toHaveLength(1);
    const second = await life(store);
    const now = SATURDAY_4PM + 10 * MINUTE;
    expect(second(now, fixtureState(now))).toEqual([{ action: 'resolve', kind: 'load-source-unreachable', dedupKey: KEY, atMs: now }]);
  });

  test('without the restored memory the two-minute condition would be re-timed from zero and resolve at once', () => {
    const tracker = new PageTracker(opts);
    tracker.restore(
      [{ dedupKey: KEY, kind: 'load-source-unreachable', severity: 'critical', summary: 's', targets: ['checkout'], details: {}, openedAtMs: SATURDAY_4PM }],
      {},
    );
    expect(tracker.next(sourceFailing(SATURDAY_4PM + 3 * MINUTE), SATURDAY_4PM + 3 * MINUTE).map((e) => e.action)).toEqual(['resolve']);
  });

  test('a trigger evaluated but never delivered is not stored as open: after a restart it is sent again', async () => {
    const store = new MemoryPages();
    const tracker = new PageTracker(opts);
    const persistence = new PagePersistence(store, tracker);
    await persistence.restore();
    tracker.next(sourceFailing(SATURDAY_4PM), SATURDAY_4PM);
    expect(tracker.next(sourceFailing(SATURDAY_4PM + 2 * MINUTE), SATURDAY_4PM + 2 * MINUTE)).toHaveLength(1);
    persistence.afterEvaluation(); // the process dies before delivery
    expect(store.saved.open).toEqual([]);
    const second = await life(store);
    expect(second(SATURDAY_4PM + 3 * MINUTE).map((e) => e.action)).toEqual(['trigger']);
  });

  test('nothing is saved when nothing changed', async () => {
    const store = new MemoryPages();
    const run = await life(store);
    run(SATURDAY_4PM, fixtureState(SATURDAY_4PM));
    run(SATURDAY_4PM + MINUTE, fixtureState(SATURDAY_4PM + MINUTE));
    expect(store.saves).toBe(0);
  });

  test('a push source after a restart: the first ticks without samples neither resolve nor re-trigger an overload page; it resolves once on a real observation', async () => {
    const store = new MemoryPages();
    const OVERLOADED = 'wedsync/test/pinned-at-max-overloaded/gallery';
    const overloaded = (now: number) =>
      fixtureState(now, (t) => {
        t.gallery.workload = { replicas: 10, readyReplicas: 10 };
        t.gallery.observed = { value: 150, atMs: now };
      });
    // Restarted: the workload answers, the push source has nothing yet ("no samples pushed").
    const nothingPushed = (now: number) =>
      fixtureState(now, (t) => {
        t.gallery.workload = { replicas: 10, readyReplicas: 10 };
        t.gallery.observed = null;
        t.gallery.lastReadError = 'no samples pushed for series gallery';
        t.gallery.stale = true;
      });
    const calm = (now: number) =>
      fixtureState(now, (t) => {
        t.gallery.workload = { replicas: 10, readyReplicas: 10 };
        t.gallery.observed = { value: 40, atMs: now };
      });
    const first = await life(store);
    const t0 = SATURDAY_4PM;
    expect(first(t0, overloaded(t0)).map((e) => [e.action, e.dedupKey])).toEqual([['trigger', OVERLOADED]]);

    const second = await life(store);
    expect(second(t0 + MINUTE, nothingPushed(t0 + MINUTE))).toEqual([]);
    expect(second(t0 + MINUTE + 15_000, nothingPushed(t0 + MINUTE + 15_000))).toEqual([]);
    expect(store.saved.open.map((p) => p.dedupKey)).toEqual([OVERLOADED]);
    expect(second(t0 + 2 * MINUTE, overloaded(t0 + 2 * MINUTE))).toEqual([]); // samples again, still overloaded: no second trigger
    expect(second(t0 + 3 * MINUTE, calm(t0 + 3 * MINUTE))).toEqual([
      { action: 'resolve', kind: 'pinned-at-max-overloaded', dedupKey: OVERLOADED, atMs: t0 + 3 * MINUTE },
    ]);
  });
});
