import { isoTimestamp, replicasCsv, replicasCsvBytes } from './compare';

describe('isoTimestamp', () => {
  it('is toISOString to the character, across days, years and the edges it hands to Date', () => {
    const instants = [
      0,
      1,
      999,
      59_999,
      86_399_999,
      86_400_000,
      Date.UTC(2027, 4, 3),
      Date.UTC(2024, 1, 29, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      -1,
      -86_400_001,
      Date.UTC(10000, 0, 1),
      1.5,
    ];
    for (let t = Date.UTC(2026, 11, 30, 22); t < Date.UTC(2027, 0, 2, 2); t += 61_007) instants.push(t);
    for (const t of instants) expect(isoTimestamp(t)).toBe(new Date(t).toISOString());
  });
});

describe('replicasCsv', () => {
  /** The format by its definition: a header, then `toISOString(),replicas` a line. */
  const reference = (startMs: number, stepMs: number, replicas: ArrayLike<number>) =>
    ['timestamp,replicas', ...Array.from(replicas, (r, k) => `${new Date(startMs + k * stepMs).toISOString()},${r}`)].join('\n') + '\n';

  it.each([
    ['minutes across days', Date.UTC(2027, 4, 3, 23, 58), 60_000, Int32Array.from([0, 1, 9, 10, 99, 100, 399, 2_147_483_647, -1, -2_147_483_648])],
    ['odd steps with milliseconds', Date.UTC(2026, 11, 31, 23, 59, 59, 123), 1_234, Int32Array.from([5, 6, 7])],
    ['no rows', Date.UTC(2027, 0, 1), 60_000, new Int32Array(0)],
    ['plain numbers', 0, 60_000, [1, 2, 3]],
    ['numbers that are not int32', 0, 60_000, [1, 2.5, -0, 3e10]],
    ['instants before 1970', -120_000, 60_000, [1, 2, 3]],
    ['a six-digit year', Date.UTC(9999, 11, 31, 23, 59), 60_000, [1, 2, 3]],
    ['a step that is not a whole millisecond', 1_000, 0.5, [1, 2, 3]],
  ])('is the format to the byte: %s', (_n, startMs, stepMs, replicas) => {
    const trace = { startMs, stepMs };
    expect(replicasCsvBytes(trace, replicas).toString('latin1')).toBe(reference(startMs, stepMs, replicas));
    expect(replicasCsv({ ...trace } as Parameters<typeof replicasCsv>[0], replicas)).toBe(reference(startMs, stepMs, replicas));
  });
});
