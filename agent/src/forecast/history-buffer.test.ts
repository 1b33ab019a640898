import { HistoryBuffer } from './history-buffer';

describe('HistoryBuffer', () => {
  it('keeps the last `capacity` points in time order and forgets the oldest', () => {
    const h = new HistoryBuffer(3);
    for (let i = 1; i <= 5; i++) h.push(i * 1000, i * 10);
    expect(h.length).toBe(3);
    expect([0, 1, 2].map((k) => [h.timeAt(k), h.valueAt(k)])).toEqual([
      [3000, 30],
      [4000, 40],
      [5000, 50],
    ]);
    h.push(4500, 99); // older than the newest: ignored
    expect(h.timeAt(2)).toBe(5000);
  });

  it('stores values in 32 bits (relative error below 1e-7) and times in 64 (epoch milliseconds exact)', () => {
    const h = new HistoryBuffer(70_560);
    const t = Date.UTC(2027, 5, 12, 14, 0, 0, 123);
    h.push(t, 12_345.678_9);
    expect(h.timeAt(0)).toBe(t);
    expect(Math.abs(h.valueAt(0) / 12_345.678_9 - 1)).toBeLessThan(1e-7);
    expect(h.valueAt(0)).not.toBe(12_345.678_9); // 32-bit: half the memory of a Float64Array
    expect(h.near(t + 400, 500)).toBe(h.valueAt(0));
  });
});

describe('HistoryBuffer sequence numbers and typical step', () => {
  it('numbers points by arrival, unmoved when the oldest is dropped', () => {
    const h = new HistoryBuffer(3);
    for (let i = 1; i <= 5; i++) h.push(i * 1000, i);
    expect([h.seqOf(0), h.seqOf(2)]).toEqual([2, 4]);
  });

  it('gives the median of the last 64 gaps, with or without a run of equal gaps', () => {
    const h = new HistoryBuffer(1000);
    const sorted = (end: number): number => {
      const gaps = [];
      for (let k = Math.max(1, end - 64); k < end; k++) gaps.push(h.timeAt(k) - h.timeAt(k - 1));
      gaps.sort((a, b) => a - b);
      return gaps[gaps.length >> 1];
    };
    let t = 0;
    for (let i = 0; i < 300; i++) {
      t += i < 100 ? 15_000 + (i % 7) * 1000 : i < 250 ? 60_000 : 30_000;
      h.push(t, i);
      if (h.length > 1) expect(h.typicalStepMs()).toBe(sorted(h.length));
      if (h.length > 10) expect(h.typicalStepMs(h.length - 5)).toBe(sorted(h.length - 5));
    }
  });
});
