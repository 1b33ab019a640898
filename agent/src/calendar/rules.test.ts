import { DateTime } from 'luxon';
import { weddingRulesSchema } from '../config/schema';
import type { Wedding } from './model';
import {
  expectedWeddingLoad,
  indexCalendar,
  isLocalWeekday,
  isPeakSeason,
  liveWeddings,
  liveWindowEnd,
  phaseAt,
  protectingWeddings,
  protectionWindows,
  traditionMultiplier,
} from './rules';

const rules = weddingRulesSchema.parse({});
const at = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();
const wedding = (w: Partial<Wedding> & Pick<Wedding, 'start' | 'timezone'>): Wedding => ({
  id: w.id ?? `w-${w.start}`,
  title: 'test',
  days: 1,
  guests: 100,
  tradition: 'british',
  vendors: 5,
  ...w,
});

describe('wedding phases (ceremony 14:00 London, defaults pre −2…0 h, ceremony 0…1, reception 1…6, clean-up 6…8)', () => {
  const index = indexCalendar({ weddings: [wedding({ start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London' })] }, rules);
  it.each([
    ['2027-06-05T11:59:59+01:00', null],
    ['2027-06-05T12:00:00+01:00', 'pre'],
    ['2027-06-05T13:59:00+01:00', 'pre'],
    ['2027-06-05T14:00:00+01:00', 'ceremony'],
    ['2027-06-05T15:00:00+01:00', 'reception'],
    ['2027-06-05T19:59:00+01:00', 'reception'],
    ['2027-06-05T20:00:00+01:00', 'cleanup'],
    ['2027-06-05T21:59:00+01:00', 'cleanup'],
    ['2027-06-05T22:00:00+01:00', null],
  ])('at %s the phase is %s', (iso, phase) => {
    expect(phaseAt(index.days[0], rules, at(iso))).toBe(phase);
    expect(liveWeddings(index, at(iso)).map((l) => l.phase)).toEqual(phase ? [phase] : []);
  });

  it('uses configured phase windows', () => {
    const custom = weddingRulesSchema.parse({ phases: { pre: [-4, 0], ceremony: [0, 2], reception: [2, 7], cleanup: [7, 9] } });
    const idx = indexCalendar({ weddings: [wedding({ start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London' })] }, custom);
    expect(phaseAt(idx.days[0], custom, at('2027-06-05T10:30:00+01:00'))).toBe('pre');
    expect(phaseAt(idx.days[0], custom, at('2027-06-05T15:30:00+01:00'))).toBe('ceremony');
    expect(phaseAt(idx.days[0], custom, at('2027-06-05T22:30:00+01:00'))).toBe('cleanup');
  });
});

describe('Saturday protection in the wedding’s own time zone', () => {
  // 09:00 Saturday in Kolkata is 03:30 UTC, still 23:30 Friday in New York.
  const kolkata = wedding({ id: 'kolkata', start: '2027-06-05T09:00:00+05:30', timezone: 'Asia/Kolkata', tradition: 'indian' });
  const index = indexCalendar({ weddings: [kolkata] }, rules);
  const ceremony = at('2027-06-05T09:00:00+05:30');

  it('is Saturday in Kolkata and Friday in New York at the ceremony', () => {
    expect(isLocalWeekday(ceremony, 'Asia/Kolkata', [6])).toBe(true);
    expect(isLocalWeekday(ceremony, 'America/New_York', [6])).toBe(false);
    expect(DateTime.fromMillis(ceremony, { zone: 'America/New_York' }).weekdayLong).toBe('Friday');
  });

  it.each([
    ['a target serving every zone', [] as string[], true],
    ['a target serving Kolkata', ['Asia/Kolkata'], true],
    ['a target serving only New York', ['America/New_York'], false],
  ])('protects %s: %s', (_name, zones, expected) => {
    expect(protectingWeddings(index, ceremony, zones).length > 0).toBe(expected);
  });

  it('does not protect a Friday wedding (weekday judged where the wedding is)', () => {
    // 23:00 Friday in New York is already Saturday 03:00 UTC and Saturday in London.
    const ny = indexCalendar({ weddings: [wedding({ start: '2027-06-04T21:00:00-04:00', timezone: 'America/New_York' })] }, rules);
    const t = at('2027-06-04T23:00:00-04:00');
    expect(isLocalWeekday(t, 'Europe/London', [6])).toBe(true);
    expect(liveWeddings(ny, t)).toHaveLength(1);
    expect(protectingWeddings(ny, t)).toHaveLength(0);
  });

  it('keeps protecting a Saturday reception that runs past midnight into Sunday', () => {
    const late = indexCalendar({ weddings: [wedding({ start: '2027-06-05T19:00:00+01:00', timezone: 'Europe/London' })] }, rules);
    const sundayHalfPastMidnight = at('2027-06-06T00:30:00+01:00');
    expect(isLocalWeekday(sundayHalfPastMidnight, 'Europe/London', [6])).toBe(false);
    expect(liveWeddings(late, sundayHalfPastMidnight).map((l) => l.phase)).toEqual(['reception']);
    expect(protectingWeddings(late, sundayHalfPastMidnight)).toHaveLength(1);
    expect(protectingWeddings(late, at('2027-06-06T03:00:00+01:00'))).toHaveLength(0); // after clean-up
  });

  it('honours configured protected weekdays', () => {
    const fridays = weddingRulesSchema.parse({ protectedWeekdays: [5, 6] });
    const ny = indexCalendar({ weddings: [wedding({ start: '2027-06-04T18:00:00-04:00', timezone: 'America/New_York' })] }, fridays);
    expect(protectingWeddings(ny, at('2027-06-04T18:30:00-04:00'))).toHaveLength(1);
  });
});

describe('DST changes and multi-day celebrations', () => {
  it('keeps each day’s wall-clock ceremony time across the spring change (London, 27–28 March 2027)', () => {
    const idx = indexCalendar({ weddings: [wedding({ start: '2027-03-27T14:00:00+00:00', timezone: 'Europe/London', days: 2 })] }, rules);
    expect(idx.days.map((d) => new Date(d.ceremonyStartMs).toISOString())).toEqual(['2027-03-27T14:00:00.000Z', '2027-03-28T13:00:00.000Z']);
    expect(idx.days.map((d) => [d.localDate, d.localWeekday])).toEqual([
      ['2027-03-27', 6],
      ['2027-03-28', 7],
    ]);
  });

  it('measures phases in elapsed hours across the autumn change (clean-up spans the repeated hour)', () => {
    // Saturday 30 October 2027, 20:00 BST; clocks go back at 02:00 BST on Sunday.
    const idx = indexCalendar({ weddings: [wedding({ start: '2027-10-30T20:00:00+01:00', timezone: 'Europe/London' })] }, rules);
    const day = idx.days[0];
    expect(day.windowEndMs - day.windowStartMs).toBe(10 * 3600_000);
    // Local 01:30 happens twice that night: first in BST (5.5 h after the ceremony), then in GMT (6.5 h).
    expect(phaseAt(day, rules, at('2027-10-31T01:30:00+01:00'))).toBe('reception');
    expect(phaseAt(day, rules, at('2027-10-31T01:30:00+00:00'))).toBe('cleanup');
    expect(new Date(day.windowEndMs).toISOString()).toBe('2027-10-31T03:00:00.000Z');
    expect(protectingWeddings(idx, at('2027-10-31T02:59:00+00:00'))).toHaveLength(1);
  });

  it('handles the US spring change (New York, 14 March 2027)', () => {
    const idx = indexCalendar({ weddings: [wedding({ start: '2027-03-13T16:00:00-05:00', timezone: 'America/New_York', days: 2 })] }, rules);
    expect(idx.days.map((d) => new Date(d.ceremonyStartMs).toISOString())).toEqual(['2027-03-13T21:00:00.000Z', '2027-03-14T20:00:00.000Z']);
  });

  it('counts each day of a three-day celebration', () => {
    const idx = indexCalendar(
      { weddings: [wedding({ start: '2027-06-03T10:00:00+05:30', timezone: 'Asia/Kolkata', days: 3, guests: 300, tradition: 'indian' })] },
      rules,
    );
    expect(idx.days).toHaveLength(3);
    for (const d of idx.days) expect(expectedWeddingLoad(idx, d.ceremonyStartMs + 30 * 60_000)).toBeCloseTo(300 * 2.0 * 1.0 * 0.1);
    expect(protectingWeddings(idx, idx.days[2].ceremonyStartMs)).toHaveLength(1); // 5 June 2027 is a Saturday
    expect(protectingWeddings(idx, idx.days[0].ceremonyStartMs)).toHaveLength(0);
  });
});

describe('expected wedding load = guests × tradition × phase factor × per-guest load', () => {
  it.each([
    ['indian', 2.0],
    ['nigerian', 1.8],
    ['chinese', 1.5],
    ['greek', 1.4],
    ['jewish', 1.3],
    ['british', 1.0],
    ['Indian', 2.0],
    ['klingon', 1.0],
  ])('tradition %s multiplies by %d', (tradition, m) => {
    expect(traditionMultiplier(tradition, rules)).toBe(m);
  });

  it.each([
    ['pre', '2027-06-05T13:00:00+01:00', 0.5],
    ['ceremony', '2027-06-05T14:30:00+01:00', 1.0],
    ['reception', '2027-06-05T17:00:00+01:00', 1.5],
    ['cleanup', '2027-06-05T21:00:00+01:00', 0.3],
  ])('in %s phase', (_phase, iso, factor) => {
    const idx = indexCalendar(
      { weddings: [wedding({ start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London', guests: 200, tradition: 'greek' })] },
      rules,
    );
    expect(expectedWeddingLoad(idx, at(iso))).toBeCloseTo(200 * 1.4 * factor * 0.1);
  });

  it('sums concurrent weddings and filters by the target’s zones', () => {
    const idx = indexCalendar(
      {
        weddings: [
          wedding({ id: 'a', start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London', guests: 100 }),
          wedding({ id: 'b', start: '2027-06-05T15:00:00+03:00', timezone: 'Europe/Athens', guests: 100, tradition: 'greek' }),
        ],
      },
      rules,
    );
    const t = at('2027-06-05T14:30:00+01:00'); // London ceremony, Athens reception
    expect(expectedWeddingLoad(idx, t)).toBeCloseTo(100 * 0.1 * 1.0 + 100 * 1.4 * 1.5 * 0.1);
    expect(expectedWeddingLoad(idx, t, ['Europe/London'])).toBeCloseTo(10);
  });

  it('uses configured multipliers and per-guest load', () => {
    const custom = weddingRulesSchema.parse({ traditions: { indian: 3 }, perGuestLoad: 1 });
    const idx = indexCalendar(
      { weddings: [wedding({ start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London', guests: 10, tradition: 'indian' })] },
      custom,
    );
    expect(expectedWeddingLoad(idx, at('2027-06-05T14:10:00+01:00'))).toBe(30);
  });
});

describe('peak season', () => {
  it.each([
    ['north', '2027-04-30T23:59:00Z', false],
    ['north', '2027-05-01T00:00:00Z', true],
    ['north', '2027-10-31T23:59:00Z', true],
    ['north', '2027-11-01T00:00:00Z', false],
    ['south', '2027-01-15T12:00:00Z', true],
    ['south', '2027-07-15T12:00:00Z', false],
    ['unknown', '2027-07-15T12:00:00Z', false],
  ])('%s at %s → %s', (region, iso, expected) => {
    expect(isPeakSeason(at(iso), rules, region)).toBe(expected);
  });

  it('judges the month in the configured time zone', () => {
    const sydney = weddingRulesSchema.parse({ peakSeason: { regions: { south: [11, 12, 1, 2, 3, 4] }, timezone: 'Australia/Sydney' } });
    // 31 Oct 2027 14:00 UTC is already 1 November in Sydney.
    expect(isPeakSeason(at('2027-10-31T14:00:00Z'), sydney, 'south')).toBe(true);
    expect(isPeakSeason(at('2027-10-31T14:00:00Z'), rules, 'south')).toBe(false);
  });
});

describe('protection windows', () => {
  const idx = indexCalendar(
    {
      weddings: [
        wedding({ id: 'sat', start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London' }),
        wedding({ id: 'fri', start: '2027-06-04T14:00:00+01:00', timezone: 'Europe/London' }),
      ],
    },
    rules,
  );
  it('lists wedding days overlapping a range, flagging protected days', () => {
    const w = protectionWindows(idx, at('2027-06-04T00:00:00Z'), at('2027-06-06T00:00:00Z'));
    expect(w.map((x) => [x.weddingId, x.saturdayProtection])).toEqual([
      ['fri', false],
      ['sat', true],
    ]);
    expect(new Date(w[1].startMs).toISOString()).toBe('2027-06-05T11:00:00.000Z');
    expect(new Date(w[1].endMs).toISOString()).toBe('2027-06-05T21:00:00.000Z');
  });
  it('tells when the live windows end (for "until this wedding ends")', () => {
    expect(new Date(liveWindowEnd(idx, at('2027-06-05T15:00:00+01:00'))!).toISOString()).toBe('2027-06-05T21:00:00.000Z');
    expect(liveWindowEnd(idx, at('2027-06-05T23:00:00+01:00'))).toBeNull();
  });
});
