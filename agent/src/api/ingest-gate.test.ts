import { IngestGate } from './ingest-gate';
import { ManualClock } from '../util/clock';

describe('IngestGate', () => {
  it('caps requests in flight', () => {
    const g = new IngestGate(1000, 2, () => 0);
    expect([g.enter(), g.enter(), g.enter()]).toEqual([true, true, false]);
    g.leave();
    expect(g.enter()).toBe(true);
  });

  it('spends a token bucket of samples per second and says how long to wait', () => {
    const clock = new ManualClock(0);
    const g = new IngestGate(1000, 8, clock.now);
    expect(g.take(600)).toBeNull();
    expect(g.take(600)).toBe(1);
    clock.advance(200); // 400 + 200 = 600 tokens
    expect(g.take(600)).toBeNull();
    expect(g.take(1)).toBe(1);
  });

  it('lets a batch larger than one second through once the bucket is full, then makes the next wait longer', () => {
    const clock = new ManualClock(0);
    const g = new IngestGate(100, 8, clock.now);
    expect(g.take(350)).toBeNull(); // bucket at -250
    expect(g.take(100)).toBe(4);
    clock.advance(3500);
    expect(g.take(100)).toBeNull();
  });
});
