/**
 * The calendar part of the durable document (issue 12, defect 3): per source the summary of the calendar
 * in force, and operators' confirmations of held updates, merged across replicas by pure functions, and
 * decoded without trusting the stored text.
 */
import type { CalendarConfirmation } from '../calendar/calendar-memory';
import { judgeAgainstSummary, summarizeCalendar, summaryIsStale, upcomingAt, SUMMARY_ENDS, type CalendarSummary } from '../calendar/drop-guard';
import { decodeDocument, documentText, emptyDocument } from './durable-document';
import { mergeCalendarConfirmations, mergeCalendarSummaries } from './merge';

const DAY = 86_400_000;
const T0 = Date.UTC(2027, 4, 1, 12);
const summary = (fingerprint: string, atMs: number, upcoming = 4): CalendarSummary => ({ fingerprint, upcoming, atMs, nextEndsMs: [] });
const confirmation = (source: string, fingerprint: string, atMs: number, actor = 'admin'): CalendarConfirmation => ({
  source,
  fingerprint,
  actor,
  reason: 'season over',
  atMs,
});
const wedding = (id: string, daysAhead: number) => ({
  id,
  title: id,
  start: new Date(T0 + daysAhead * DAY).toISOString(),
  timezone: 'UTC',
  days: 1,
  guests: 100,
  tradition: 'british',
  vendors: 1,
});

describe('mergeCalendarSummaries', () => {
  it('keeps what the store holds for a source this replica did not change since its last round', () => {
    const theirs = summary('E', T0 + 10);
    const mine = summary('F', T0);
    // B still remembers F from its last round; A confirmed E since: E stays.
    expect(mergeCalendarSummaries({ 'w.json': theirs }, new Map([['w.json', mine]]), new Map([['w.json', mine]]))).toEqual({ 'w.json': theirs });
  });

  it('pushes a summary this replica changed, unless the store holds a newer one', () => {
    const older = summary('F', T0);
    const mine = summary('G', T0 + 20);
    expect(mergeCalendarSummaries({ 'w.json': older }, new Map([['w.json', mine]]), new Map())).toEqual({ 'w.json': mine });
    const newer = summary('E', T0 + 30);
    expect(mergeCalendarSummaries({ 'w.json': newer }, new Map([['w.json', mine]]), new Map([['w.json', older]]))).toEqual({ 'w.json': newer });
  });

  it('adds a source the store does not know, and leaves the other sources alone', () => {
    const a = summary('A', T0);
    const b = summary('B', T0 + 1);
    expect(mergeCalendarSummaries({ 'b.ics': b }, new Map([['a.json', a]]), new Map())).toEqual({ 'a.json': a, 'b.ics': b });
  });
});

describe('mergeCalendarConfirmations', () => {
  it('is the union of both sides, one per source and fingerprint (the newest), oldest first', () => {
    const remote = [confirmation('w.json', 'E', T0 + 5, 'ann')];
    const local = [confirmation('w.json', 'E', T0 + 9, 'bob'), confirmation('x.ics', 'X', T0 + 1)];
    expect(mergeCalendarConfirmations(remote, local, T0 + 10, DAY, 50)).toEqual([
      confirmation('x.ics', 'X', T0 + 1),
      confirmation('w.json', 'E', T0 + 9, 'bob'),
    ]);
    // Same answer whichever replica merges.
    expect(mergeCalendarConfirmations(local, remote, T0 + 10, DAY, 50)).toEqual(mergeCalendarConfirmations(remote, local, T0 + 10, DAY, 50));
  });

  it('drops confirmations older than the retention and keeps the newest `cap`', () => {
    const old = confirmation('w.json', 'OLD', T0 - 2 * DAY);
    const recent = [1, 2, 3].map((n) => confirmation('w.json', `R${n}`, T0 - n));
    expect(mergeCalendarConfirmations([old, ...recent], [], T0, DAY, 2).map((c) => c.fingerprint)).toEqual(['R2', 'R1']);
  });
});

describe('calendar summary', () => {
  const cal = { weddings: [wedding('past', -5), wedding('a', 1), wedding('b', 8), wedding('c', 15), wedding('d', 22)] };

  it('counts upcoming weddings and ages the count as they end, without the calendar', () => {
    const s = summarizeCalendar(cal, 'F', T0);
    expect(s).toEqual({ fingerprint: 'F', upcoming: 4, atMs: T0, nextEndsMs: [T0 + 3 * DAY, T0 + 10 * DAY, T0 + 17 * DAY, T0 + 24 * DAY] });
    expect(upcomingAt(s, T0 + 11 * DAY)).toBe(2);
    // Two of four weddings over, an unchanged calendar of those two is no drop at all; an empty one is.
    const twoLeft = { weddings: [wedding('c', 15), wedding('d', 22)] };
    expect(judgeAgainstSummary(s, twoLeft, T0 + 11 * DAY, 0.5)).toEqual({ hold: false, upcomingBefore: 2, upcomingAfter: 2, dropFraction: 0 });
    expect(judgeAgainstSummary(s, { weddings: [] }, T0 + 11 * DAY, 0.5)).toMatchObject({ hold: true, upcomingBefore: 2, upcomingAfter: 0 });
  });

  it('keeps at most SUMMARY_ENDS end instants and says when it needs re-summarising', () => {
    const many = { weddings: Array.from({ length: SUMMARY_ENDS + 20 }, (_, i) => wedding(`w${i}`, i + 1)) };
    const s = summarizeCalendar(many, 'M', T0);
    expect(s.upcoming).toBe(SUMMARY_ENDS + 20);
    expect(s.nextEndsMs).toHaveLength(SUMMARY_ENDS);
    expect(summaryIsStale(s, T0 + 10 * DAY)).toBe(false);
    expect(summaryIsStale(s, T0 + (SUMMARY_ENDS / 2 + 3) * DAY)).toBe(true);
  });
});

describe('durable document: calendar fields', () => {
  it('round-trips, and drops malformed summaries and confirmations with a reason', () => {
    const doc = { ...emptyDocument(), calendars: { 'w.json': summary('F', T0) }, calendarConfirmations: [confirmation('w.json', 'E', T0)] };
    expect(decodeDocument(documentText(doc))).toEqual({ doc, dropped: [] });
    const { doc: decoded, dropped } = decodeDocument(
      JSON.stringify({
        calendars: { 'w.json': summary('F', T0), 'bad.json': { fingerprint: 'X', upcoming: -1, atMs: T0 } },
        calendarConfirmations: [confirmation('w.json', 'E', T0), { source: 'w.json' }],
      }),
    );
    expect(decoded.calendars).toEqual({ 'w.json': summary('F', T0) });
    expect(decoded.calendarConfirmations).toEqual([confirmation('w.json', 'E', T0)]);
    expect(dropped).toEqual([expect.stringMatching(/^calendars\.bad\.json: /), expect.stringMatching(/^calendarConfirmations\[1\]: /)]);
  });

  it('a document written before these fields existed decodes with none', () => {
    expect(decodeDocument(JSON.stringify({ version: 1, overrides: [], audit: [], pages: {} })).doc).toEqual(emptyDocument());
  });
});
