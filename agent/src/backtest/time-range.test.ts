import { parseInstant, parseRange } from './time-range';

const NOW = Date.parse('2027-07-01T12:34:56.789Z');

describe('backtest time range', () => {
  test.each([
    ['now', '2027-07-01T12:34:00.000Z'],
    ['-28d', '2027-06-03T12:34:00.000Z'],
    ['-2w', '2027-06-17T12:34:00.000Z'],
    ['-12h', '2027-07-01T00:34:00.000Z'],
    ['-90m', '2027-07-01T11:04:00.000Z'],
    ['2027-06-01T00:00:30Z', '2027-06-01T00:00:00.000Z'],
    ['2027-06-01T02:00:00+02:00', '2027-06-01T00:00:00.000Z'],
    ['2027-06-01', '2027-06-01T00:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(new Date(parseInstant(text, NOW)!).toISOString()).toBe(iso);
  });

  test.each(['yesterday', '28d', '-28x', '2027-06-01T00:00:00', '2027-13-01T00:00:00Z'])('%s is refused', (text) => {
    expect(parseInstant(text, NOW)).toBeNull();
  });

  test('names the option at fault, and refuses an empty or future range', () => {
    expect(parseRange('soon', 'now', NOW)).toEqual({ error: expect.stringMatching(/^--from: "soon" is not a time/) });
    expect(parseRange('-1d', 'later', NOW)).toEqual({ error: expect.stringMatching(/^--to: "later"/) });
    expect(parseRange('-1d', '-2d', NOW)).toEqual({ error: expect.stringMatching(/must be after --from/) });
    expect(parseRange('-1d', '2027-08-01T00:00:00Z', NOW)).toEqual({ error: expect.stringMatching(/in the future/) });
    expect(parseRange('-1d', 'now', NOW)).toEqual({ fromMs: Date.parse('2027-06-30T12:34:00Z'), toMs: Date.parse('2027-07-01T12:34:00Z') });
  });
});
