import { formatMicroTime, parseMicroTime } from './micro-time';

describe('MicroTime', () => {
  test.each([
    ['2026-06-13T14:00:00.123456Z', Date.UTC(2026, 5, 13, 14, 0, 0, 123)],
    ['2026-06-13T14:00:00Z', Date.UTC(2026, 5, 13, 14, 0, 0)],
    ['2026-06-13T14:00:00.5Z', Date.UTC(2026, 5, 13, 14, 0, 0, 500)],
    ['2026-06-13T16:00:00.000001+02:00', Date.UTC(2026, 5, 13, 14, 0, 0, 0)],
    ['2026-06-13T14:00:00.123456789Z', Date.UTC(2026, 5, 13, 14, 0, 0, 123)],
  ])('parses %s', (text, ms) => expect(parseMicroTime(text)).toBe(ms));

  test.each([[undefined], [null], [''], ['yesterday'], ['2026-06-13 14:00:00Z'], [42]])('rejects %p', (v) => expect(parseMicroTime(v)).toBeNull());

  test('accepts a Date and round-trips its own format', () => {
    const t = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    expect(parseMicroTime(new Date(t))).toBe(t);
    expect(formatMicroTime(t)).toBe('2026-01-02T03:04:05.678000Z');
    expect(parseMicroTime(formatMicroTime(t))).toBe(t);
  });
});
