import { RefitSamples } from './refit-samples';

/** A deterministic stream of relative errors with repeats (ties must land as `sort()` puts them). */
function values(n: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.round((x / 2 ** 31 - 0.5) * 200) / 100;
  });
}

describe('RefitSamples', () => {
  const ctx = {};

  it('keeps samples across refits read the same way, and sorts them as a fresh sort would', () => {
    const s = new RefitSamples();
    const all: number[] = [];
    for (const [i, chunk] of [500, 3, 40, 1, 90].entries()) {
      s.begin(true, ctx, 7, 6, 30, 2, 0, 10_000);
      for (const r of values(chunk, i + 1)) {
        s.addRel(r, true);
        all.push(r);
      }
      expect(Array.from(s.sortedRel())).toEqual(Array.from(Float64Array.from(all).sort()));
    }
  });

  it('reads the newest point for one refit only, in fit and band alike', () => {
    const s = new RefitSamples();
    s.begin(true, ctx, 7, 6, 30, 1, 0, 100);
    for (const r of values(40, 9)) s.addRel(r, true);
    s.addFit(2, 5, true);
    s.addRel(-5, false);
    s.addFit(3, 7, false);
    expect(s.relCount).toBe(41);
    expect(s.sortedRel()[0]).toBe(-5);
    expect(s.xs).toEqual([2, 3]);
    s.begin(true, ctx, 7, 6, 30, 1, 0, 100);
    expect(s.relCount).toBe(40);
    expect(Array.from(s.sortedRel())).not.toContain(-5);
    expect(s.xs).toEqual([2]);
    expect(s.ys).toEqual([5]);
  });

  it.each([
    ['another calendar', { context: {} }],
    ['another stride', { stride: 3 }],
    ['the oldest point dropped', { firstSeq: 1 }],
    ['an earlier end than already read', { end: 5 }],
    ['no memory (a live calendar)', { remember: false }],
  ])('starts afresh on %s', (_name, change) => {
    const base = { remember: true, context: ctx, stride: 2, firstSeq: 0, end: 100 };
    const s = new RefitSamples();
    s.begin(true, ctx, 7, 6, 30, 2, 0, 100);
    s.addFit(1, 1, true);
    s.next = 10;
    const b = { ...base, ...change };
    s.begin(b.remember, b.context, 7, 6, 30, b.stride, b.firstSeq, b.end);
    expect(s.xs).toEqual([]);
    expect(s.next).toBe(0);
  });
});
