/** What burst headroom learns from a series, tick by tick. Pure: no clock, no I/O. */
import { BURST_BIN_EDGES, learnBursts, riseQuantile, type BurstState } from './burst-headroom';

const MIN = 60_000;
const LEAD = 3 * MIN;
const CAP = 50;

/** Feeds `values` (one per `stepMs`) and returns the state after the last. */
function learn(values: number[], stepMs = MIN, memoryMs = 24 * 60 * MIN): BurstState {
  let s: BurstState | null = null;
  values.forEach((value, k) => (s = learnBursts(s, { tMs: k * stepMs, value }, CAP, LEAD, memoryMs)));
  return s!;
}

const total = (s: BurstState) => s.weights.reduce((a, b) => a + b, 0);

describe('burst headroom history', () => {
  test('a reading counts only once a start-up has passed (nothing is learned from the future)', () => {
    const s = learn([100, 100, 100, 300]);
    // Readings at 0 min have a complete start-up (1–3 min) behind them; the others do not yet.
    expect(total(s)).toBeCloseTo(1, 9);
    expect(riseQuantile(s.weights, 0.5)).toBeGreaterThan(3.3); // +200 rps = 4 pods (bin 3.4–4)
    expect(riseQuantile(s.weights, 0.5)).toBeLessThanOrEqual(4);
    expect(s.pending.map((p) => p.tMs)).toEqual([1, 2, 3].map((k) => k * MIN));
  });

  test('the rise is the highest load within one start-up above the reading, in pods; falls count as no rise', () => {
    const s = learn([300, 100, 100, 100, 100, 100, 100]);
    expect(riseQuantile(s.weights, 0.99)).toBe(0);
    const up = learn([100, 150, 200, 125, 100]);
    // From 100 the load reaches 200 within 3 min (2 pods); from 150, also 200 (1 pod).
    expect(riseQuantile(up.weights, 0.99)).toBeGreaterThan(1.68);
    expect(riseQuantile(up.weights, 0.99)).toBeLessThanOrEqual(2);
    expect(riseQuantile(up.weights, 0.01)).toBeGreaterThan(0.84);
    expect(riseQuantile(up.weights, 0.01)).toBeLessThanOrEqual(1);
  });

  test('15 s ticks learn the same as 60 s ticks (each reading weighs the time it stands for)', () => {
    const perMinute = Array.from({ length: 240 }, (_, k) => (k % 30 < 5 ? 400 : 100));
    const perQuarter = perMinute.flatMap((v) => [v, v, v, v]);
    const a = learn(perMinute);
    const b = learn(perQuarter, 15_000);
    expect(total(b)).toBeCloseTo(total(a), 0);
    expect(riseQuantile(b.weights, 0.98)).toBeCloseTo(riseQuantile(a.weights, 0.98), 0);
  });

  test('old bursts fade: the weights decay with burstMemorySeconds, so a calm spell releases the room', () => {
    const bursty = Array.from({ length: 120 }, (_, k) => (k % 20 < 5 ? 600 : 100));
    const calm = new Array(24 * 60).fill(100);
    const memory = 6 * 60 * MIN;
    expect(riseQuantile(learn(bursty, MIN, memory).weights, 0.98)).toBeGreaterThan(9);
    expect(riseQuantile(learn([...bursty, ...calm], MIN, memory).weights, 0.98)).toBe(0);
  });

  test('quantiles interpolate inside a bin and stay within the bin edges', () => {
    const weights = BURST_BIN_EDGES.map((e) => (e === 4 ? 10 : 0));
    const q = riseQuantile(weights, 0.5);
    expect(q).toBeGreaterThan(BURST_BIN_EDGES[BURST_BIN_EDGES.indexOf(4) - 1]);
    expect(q).toBeLessThan(4);
    expect(riseQuantile(new Array(BURST_BIN_EDGES.length).fill(0), 0.98)).toBe(0);
  });
});
