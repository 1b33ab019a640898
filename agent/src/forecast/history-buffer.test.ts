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
