import { fixtureState, MINUTE, SATURDAY_4PM } from '../__fixtures__/condition-fixtures';
import { PageHandOff } from './page-hand-off';
import { PageTracker, type PageEvent } from './page-tracker';

const opts = { cluster: 'test', unreachableAfterMs: 2 * MINUTE, overloadUtilization: 1, overloadedAfterMs: 0 };
const overloaded = (now: number) =>
  fixtureState(now, (t) => {
    t.checkout.workload = { replicas: 10, readyReplicas: 10 };
    t.checkout.observed = { value: 150, atMs: now };
  });

/** A tracker and a hand-off with a 30 s hand-off and 10 s requests, recording the delivered series. */
function setup() {
  const tracker = new PageTracker(opts);
  const series = new Set<string>();
  const handOff = new PageHandOff(30_000, 10_000, { delivered: (k, s) => series.add(`${k}/${s}`), closed: (k, s) => series.delete(`${k}/${s}`) });
  const tick = (state: ReturnType<typeof fixtureState>, now: number): PageEvent[] => {
    const events = tracker.next(state, now);
    handOff.queued(events, now);
    return events;
  };
  return { handOff, series, tick };
}

describe('PageHandOff', () => {
  test('delivered in time: the trigger and its resolve are sent, the delivered series lives in between', () => {
    const { handOff, series, tick } = setup();
    const [trigger] = tick(overloaded(SATURDAY_4PM), SATURDAY_4PM);
    expect(handOff.verdict(trigger, SATURDAY_4PM + 5_000)).toBe('send');
    handOff.delivered(trigger);
    expect([...series]).toEqual(['pinned-at-max-overloaded/checkout']);
    const [resolve] = tick(fixtureState(SATURDAY_4PM + MINUTE), SATURDAY_4PM + MINUTE);
    expect(resolve.action).toBe('resolve');
    expect(series.size).toBe(0);
    expect(handOff.verdict(resolve, SATURDAY_4PM + MINUTE)).toBe('send');
  });

  test('not deliverable in time: handed off once, then neither a retry, a severity update nor the resolve is sent', () => {
    const { handOff, series, tick } = setup();
    const [trigger] = tick(overloaded(SATURDAY_4PM), SATURDAY_4PM);
    expect(handOff.verdict(trigger, SATURDAY_4PM + 20_000)).toBe('send'); // a request started now ends by the deadline
    expect(handOff.verdict(trigger, SATURDAY_4PM + 20_001)).toBe('hand-off'); // one started now might not
    expect(handOff.verdict(trigger, SATURDAY_4PM + 21_000)).toBe('skip');
    const update = tick(
      fixtureState(SATURDAY_4PM + 25_000, (t) => {
        t.checkout.workload = { replicas: 10, readyReplicas: 10 };
        t.checkout.observed = { value: 150, atMs: SATURDAY_4PM + 25_000 };
        (t.checkout.config as { weddingCritical: boolean }).weddingCritical = false;
      }),
      SATURDAY_4PM + 25_000,
    );
    expect(update.map((e) => e.action)).toEqual(['trigger']);
    expect(handOff.verdict(update[0], SATURDAY_4PM + 25_000)).toBe('skip');
    const [resolve] = tick(fixtureState(SATURDAY_4PM + MINUTE), SATURDAY_4PM + MINUTE);
    expect(handOff.verdict(resolve, SATURDAY_4PM + MINUTE)).toBe('skip');
    expect(series.size).toBe(0);
  });

  test("after a handed-off episode clears, the next occurrence is the sink's again", () => {
    const { handOff, tick } = setup();
    const [first] = tick(overloaded(SATURDAY_4PM), SATURDAY_4PM);
    expect(handOff.verdict(first, SATURDAY_4PM + MINUTE)).toBe('hand-off');
    tick(fixtureState(SATURDAY_4PM + 2 * MINUTE), SATURDAY_4PM + 2 * MINUTE);
    const [again] = tick(overloaded(SATURDAY_4PM + 3 * MINUTE), SATURDAY_4PM + 3 * MINUTE);
    expect(handOff.verdict(again, SATURDAY_4PM + 3 * MINUTE + 1_000)).toBe('send');
  });

  test('a resolve queued before its trigger was delivered is still sent once the trigger lands', () => {
    const { handOff, series, tick } = setup();
    const [trigger] = tick(overloaded(SATURDAY_4PM), SATURDAY_4PM);
    const [resolve] = tick(fixtureState(SATURDAY_4PM + 1_000), SATURDAY_4PM + 1_000);
    expect(handOff.verdict(trigger, SATURDAY_4PM + 2_000)).toBe('send');
    handOff.delivered(trigger);
    expect(series.size).toBe(0); // the page is already closing: no delivered series for it
    expect(handOff.verdict(resolve, SATURDAY_4PM + 3_000)).toBe('send');
  });

  test('a page restored as open after a restart is adopted as delivered: its series is back, its resolve is sent', () => {
    const { handOff, series, tick } = setup();
    handOff.adoptDelivered('wedsync/test/pinned-at-max-overloaded/checkout', 'pinned-at-max-overloaded', 'checkout');
    expect([...series]).toEqual(['pinned-at-max-overloaded/checkout']);
    // A fresh tracker (no snapshot in this test) re-triggers it: it stays delivered, and the resolve goes out.
    const [trigger] = tick(overloaded(SATURDAY_4PM), SATURDAY_4PM);
    expect(handOff.verdict(trigger, SATURDAY_4PM + MINUTE)).toBe('send');
    const [resolve] = tick(fixtureState(SATURDAY_4PM + 2 * MINUTE), SATURDAY_4PM + 2 * MINUTE);
    expect(handOff.verdict(resolve, SATURDAY_4PM + 2 * MINUTE)).toBe('send');
    expect(series.size).toBe(0);
  });

  test("adoptOpen adopts only pages the ledger never saw: a handed-off page stays Alertmanager's", () => {
    const { handOff, series, tick } = setup();
    const [trigger] = tick(overloaded(SATURDAY_4PM), SATURDAY_4PM);
    expect(handOff.verdict(trigger, SATURDAY_4PM + MINUTE)).toBe('hand-off');
    handOff.adoptOpen([
      { dedupKey: trigger.dedupKey, kind: 'pinned-at-max-overloaded', subject: 'checkout' },
      { dedupKey: 'wedsync/test/scale-blocked/gallery', kind: 'scale-blocked', subject: 'gallery' },
    ]);
    expect([...series]).toEqual(['scale-blocked/gallery']);
  });
});
