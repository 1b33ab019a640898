import { describeRequest, formatTimeLeft, parseDuration, validateDraft, type OverrideDraft } from './overrideDraft';

const NOW = Date.parse('2027-06-05T14:00:00Z');
const base: OverrideDraft = { target: 'api', type: 'floor', replicas: '6', duration: '2h', untilWeddingEnds: false, reason: 'CEO wedding' };
const limits = { nowMs: NOW, minReplicas: 2, maxReplicas: 20 };

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['2h', 2 * 3600_000],
    ['1h30m', 90 * 60_000],
    [' 1d 2h ', 26 * 3600_000],
    ['soon', null],
    ['2', null],
    ['-1h', null],
    ['', null],
  ])('%p → %p', (text, ms) => expect(parseDuration(text)).toBe(ms));
});

describe('validateDraft', () => {
  it.each<[string, Partial<OverrideDraft>, string, string]>([
    ['empty replicas for a floor', { replicas: '' }, 'replicas', 'required for a floor'],
    ['fractional replicas', { replicas: '2.5' }, 'replicas', 'whole number'],
    ['negative replicas', { replicas: '-1' }, 'replicas', 'whole number'],
    ['above the maximum', { type: 'pin', replicas: '21' }, 'replicas', "at most the target's maximum (20)"],
    ['unreadable duration', { duration: 'tomorrow' }, 'duration', '90m, 2h or 1h30m'],
    ['zero duration', { duration: '0m' }, 'duration', 'longer than zero'],
    ['over a week', { duration: '8d' }, 'duration', 'at most 7 days'],
    ['short reason', { reason: ' ok ' }, 'reason', 'at least 3 characters'],
    ['no target', { target: '' }, 'target', 'choose a target'],
  ])('rejects %s', (_name, patch, field, message) => {
    const r = validateDraft({ ...base, ...patch }, limits);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[field as keyof typeof r.errors]).toContain(message);
    }
  });

  it('builds the floor request with an until on the agent clock', () => {
    expect(validateDraft(base, limits)).toEqual({
      ok: true,
      untilMs: NOW + 2 * 3600_000,
      request: { target: 'api', type: 'floor', replicas: 6, until: '2027-06-05T16:00:00.000Z', reason: 'CEO wedding' },
    });
  });

  it('sends untilWeddingEnds instead of until, and no replicas for a freeze', () => {
    const r = validateDraft({ ...base, type: 'freeze', replicas: 'junk', untilWeddingEnds: true, duration: 'junk' }, limits);
    expect(r).toEqual({ ok: true, untilMs: null, request: { target: 'api', type: 'freeze', untilWeddingEnds: true, reason: 'CEO wedding' } });
  });
});

describe('formatTimeLeft and describeRequest', () => {
  it.each([
    [NOW + 2 * 3600_000 + 5 * 60_000, '2h 05m'],
    [NOW + 59_000, '1m'],
    [NOW + 26 * 3600_000, '1d 2h'],
    [NOW - 1, 'expired'],
  ])('%p → %p', (until, text) => expect(formatTimeLeft(until, NOW)).toBe(text));

  it('words the confirmation', () => {
    expect(describeRequest({ target: 'api', type: 'floor', replicas: 6, untilWeddingEnds: true, reason: 'x' })).toBe(
      'Keep api at 6 replicas or more until the live wedding ends. Reason: "x"',
    );
  });
});
