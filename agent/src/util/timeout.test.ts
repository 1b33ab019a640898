import { raceTimeout, RepeatedDeadline } from './timeout';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('raceTimeout', () => {
  it('answers the work, or timeout', async () => {
    expect(await raceTimeout(after(5, 'done'), 200)).toBe('done');
    expect(await raceTimeout(after(200, 'late'), 10)).toBe('timeout');
  });
});

describe('RepeatedDeadline', () => {
  it('answers each race with its work, or timeout, race after race on one timer', async () => {
    const deadline = new RepeatedDeadline(40);
    for (let i = 0; i < 20; i++) expect(await deadline.race(Promise.resolve(i))).toBe(i);
    expect(await deadline.race(after(150, 'late'))).toBe('timeout');
    expect(await deadline.race(after(5, 'in time'))).toBe('in time');
    expect(await deadline.race(after(150, 'late again'))).toBe('timeout');
    await expect(deadline.race(Promise.reject(new Error('failed')))).rejects.toThrow('failed');
  });

  it('times out overlapping races each its own limit after it began', async () => {
    const deadline = new RepeatedDeadline(60);
    const started = performance.now();
    const first = deadline.race(after(500, 'first'));
    await after(30, null);
    const second = deadline.race(after(500, 'second'));
    expect(await first).toBe('timeout');
    const firstAt = performance.now() - started;
    expect(await second).toBe('timeout');
    const secondAt = performance.now() - started;
    expect(firstAt).toBeGreaterThanOrEqual(55);
    expect(secondAt).toBeGreaterThanOrEqual(85);
    expect(secondAt - firstAt).toBeGreaterThanOrEqual(20);
  });

  it('does not hold the process open', async () => {
    const deadline = new RepeatedDeadline(60_000);
    expect(await deadline.race(Promise.resolve('quick'))).toBe('quick');
    // Jest would report an open handle (and --detectOpenHandles fail) if the armed timer were ref'd.
  });
});
