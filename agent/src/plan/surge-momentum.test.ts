/** What the surge rule learns about its own straight-line bets. Pure: no clock, no I/O. */
import { learnMomentum, straightLineBet, surgeContinuation, type SurgeMomentum } from './surge-momentum';

const MIN = 60_000;
const LEAD = 3 * MIN;

/** Feeds one reading a minute; `onsets` maps a minute to the rise bet on at it. */
function learn(values: number[], onsets: Record<number, number>): SurgeMomentum {
  let m: SurgeMomentum | null = null;
  values.forEach((value, k) => (m = learnMomentum(m, { tMs: k * MIN, value }, onsets[k] ?? null, LEAD)));
  return m!;
}

describe('surge momentum', () => {
  test('no history: the straight line is trusted in full', () => {
    expect(surgeContinuation(null)).toBe(1);
  });

  test('a ramp that went on as bet keeps the continuation at 1', () => {
    const m = learn([100, 200, 300, 400, 500, 600], { 1: 300 });
    expect(m.weight).toBe(1);
    expect(surgeContinuation(m)).toBeCloseTo(1, 9);
  });

  test('a step that stopped at once settles at 0 and pulls the continuation down', () => {
    const m = learn([100, 200, 200, 200, 200, 200], { 1: 300 });
    expect(m.sum).toBe(0);
    expect(surgeContinuation(m)).toBeCloseTo(0.5, 9); // prior 1 and one onset at 0
  });

  test('an onset is settled only once a start-up has passed (nothing learned from the future)', () => {
    const m = learn([100, 200, 200, 200], { 1: 300 });
    expect(m.open).toHaveLength(1);
    expect(m.weight).toBe(0);
  });

  test('the bet is the slope over the window times one start-up, capped by surgeMaxGrowth', () => {
    expect(straightLineBet([{ tMs: 0, value: 100 }, { tMs: MIN, value: 200 }], LEAD, 4)).toBe(300);
    expect(straightLineBet([{ tMs: 0, value: 20 }, { tMs: MIN, value: 200 }], LEAD, 2)).toBe(200);
  });
});
