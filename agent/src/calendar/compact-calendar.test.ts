/** The packed calendar (issue 24, defect 5): luxon's answers, without luxon's per-call Intl work. */
import { DateTime } from 'luxon';
import { packCalendar, weddingAt, isoDate, upcomingIn } from './compact-calendar';
import type { Wedding } from './model';

const ZONES = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'America/St_Johns', 'Asia/Kathmandu', 'Pacific/Chatham'];

describe('packCalendar', () => {
  it('gives every day the same ceremony instant, local date and weekday as luxon, across DST changes in odd zones', () => {
    const weddings: Wedding[] = [];
    // Every 13 h 7 min through 2027 in each zone: starts on, before and after every DST change.
    for (const [z, zone] of ZONES.entries())
      for (let t = Date.parse('2027-01-01T00:00:00Z') + z * 600_000, i = 0; t < Date.parse('2028-01-01T00:00:00Z'); t += 47_220_000, i++)
        weddings.push({
          id: `${zone}-${i}`,
          title: 't',
          start: DateTime.fromMillis(t, { zone }).toISO()!,
          timezone: zone,
          days: 1 + (i % 3),
          guests: 1,
          tradition: 'x',
          vendors: 0,
        });
    const c = packCalendar(weddings);
    const expected: string[] = [];
    for (const w of weddings) {
      const first = DateTime.fromISO(w.start, { setZone: true }).setZone(w.timezone);
      for (let d = 0; d < w.days; d++) {
        const local = first.plus({ days: d });
        expected.push(`${w.id}/${d} ${local.toMillis()} ${local.toISODate()} ${local.weekday}`);
      }
    }
    const got = Array.from(
      { length: c.dayCount },
      (_, k) => `${weddingAt(c, c.dayWedding[k]).id}/${c.dayIndex[k]} ${c.ceremonyStartMs[k]} ${isoDate(c.localDate[k])} ${c.localWeekday[k]}`,
    );
    expect(got.sort()).toEqual(expected.sort());
    expect(Array.from(c.ceremonyStartMs)).toEqual(Array.from(c.ceremonyStartMs).sort((a, b) => a - b));
  });

  it('keeps every field of every wedding, and counts the upcoming ones', () => {
    const ws: Wedding[] = [
      {
        id: 'a',
        title: 'Ünïcode & "quotes"',
        start: '2027-06-05T14:00:00+01:00',
        timezone: 'Europe/London',
        days: 2,
        guests: 150,
        tradition: 'british',
        vendors: 7,
      },
      { id: '', title: '', start: '2027-06-04T10:00:00Z', timezone: 'Asia/Kolkata', days: 1, guests: 0, tradition: 'indian', vendors: 0 },
    ];
    const c = packCalendar(ws);
    expect([weddingAt(c, 0), weddingAt(c, 1)]).toEqual(ws);
    expect(upcomingIn(c, Date.parse('2027-06-06T12:00:00Z'))).toBe(1);
  });

  it('refuses a wedding with an invalid start or zone, naming it', () => {
    expect(() => packCalendar([{ id: 'bad', title: '', start: 'soon', timezone: 'Europe/London', days: 1, guests: 1, tradition: 'x', vendors: 0 }])).toThrow(
      /wedding bad: invalid start/,
    );
    expect(() =>
      packCalendar([{ id: 'bad', title: '', start: '2027-06-04T10:00:00Z', timezone: 'Mars/Olympus', days: 1, guests: 1, tradition: 'x', vendors: 0 }]),
    ).toThrow(/time zone "Mars\/Olympus"/);
  });
});
