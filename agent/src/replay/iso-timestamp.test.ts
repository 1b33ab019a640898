import { isoTimestamp } from './compare';

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
