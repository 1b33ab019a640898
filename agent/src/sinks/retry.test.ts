import { httpFailure, isRetryableStatus, parseRetryAfter, retryDelayMs, type BackoffPolicy } from './retry';

const policy: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, maxRetryAfterMs: 120_000 };
const NOW = Date.parse('2026-06-13T12:00:00Z');

describe('isRetryableStatus', () => {
  test.each([
    [429, true],
    [408, true],
    [500, true],
    [502, true],
    [503, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [413, false],
    [422, false],
  ])('%i → %s', (status, retryable) => expect(isRetryableStatus(status)).toBe(retryable));
});

describe('parseRetryAfter', () => {
  test.each([
    ['seconds', '7', 7000],
    ['fractional seconds', '1.5', 1500],
    ['padded', ' 3 ', 3000],
    ['HTTP date', 'Sat, 13 Jun 2026 12:00:30 GMT', 30_000],
    ['HTTP date in the past', 'Sat, 13 Jun 2026 11:00:00 GMT', 0],
  ])('%s', (_name, header, ms) => expect(parseRetryAfter(header, NOW)).toBe(ms));

  test.each([[null], [undefined], [''], ['soon'], ['-5']])('ignores %p', (header) => expect(parseRetryAfter(header, NOW)).toBeUndefined());
});

describe('retryDelayMs', () => {
  test('full jitter stays under a ceiling that doubles per attempt', () => {
    expect(retryDelayMs(1, policy, () => 0.999)).toBe(999);
    expect(retryDelayMs(2, policy, () => 0.999)).toBe(1998);
    expect(retryDelayMs(4, policy, () => 0.5)).toBe(4000);
    expect(retryDelayMs(1, policy, () => 0)).toBe(0);
  });

  test('is capped at maxMs however many attempts', () => {
    expect(retryDelayMs(30, policy, () => 0.999)).toBe(29_970);
    expect(retryDelayMs(1000, policy, () => 0.999)).toBeLessThan(policy.maxMs);
  });

  test('Retry-After wins when it asks for longer, capped by maxRetryAfterMs', () => {
    expect(retryDelayMs(1, policy, () => 0.5, 10_000)).toBe(10_000);
    expect(retryDelayMs(6, policy, () => 0.999, 1000)).toBe(29_970);
    expect(retryDelayMs(1, policy, () => 0.5, 3_600_000)).toBe(120_000);
  });
});

describe('httpFailure', () => {
  test('keeps status, retryability and the Retry-After delay', () => {
    expect(httpFailure(503, '2', NOW)).toEqual({ ok: false, status: 503, retryable: true, error: 'HTTP 503', retryAfterMs: 2000 });
    expect(httpFailure(400, null, NOW, '{"errors":["bad"]}')).toEqual({ ok: false, status: 400, retryable: false, error: 'HTTP 400: {"errors":["bad"]}' });
  });
});
