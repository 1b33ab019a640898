import { StartupTracker } from './startup-tracker';

describe('StartupTracker', () => {
  test('measures an increase seen between reads until ready catches up', () => {
    const t = new StartupTracker();
    expect(t.observe(0, 3, 3)).toBeUndefined();
    expect(t.observe(15_000, 6, 3)).toBeUndefined();
    expect(t.observe(60_000, 6, 5)).toBeUndefined();
    expect(t.observe(105_000, 6, 6)).toBe(90);
  });

  test('an increase the agent made starts the clock at the patch, and the median resists one slow start', () => {
    const t = new StartupTracker();
    t.observe(0, 2, 2);
    for (const [start, secs] of [
      [1_000_000, 40],
      [2_000_000, 50],
      [3_000_000, 600],
    ]) {
      t.scaledUp(start, 2, 4);
      t.observe(start + secs * 1000, 4, 4);
      t.observe(start + secs * 1000 + 1, 2, 2);
    }
    expect(t.median()).toBe(50);
  });

  test('a scale-down while pods start drops or narrows the pending measurement', () => {
    const t = new StartupTracker();
    t.observe(0, 2, 2);
    t.observe(10_000, 8, 2);
    t.observe(20_000, 1, 1);
    expect(t.observe(30_000, 1, 1)).toBeUndefined();
  });
});
