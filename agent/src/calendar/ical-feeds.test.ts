/**
 * iCalendar as real feeds send it (issue 24, defects 2–4): free text where a number belongs, Outlook's
 * Windows zone names with their VTIMEZONE blocks, zones nobody knows, floating times, repeated UIDs.
 */
import { parseIcalCalendar, IcalStreamReader } from './ical-reader';
import { parseJsonCalendar } from './json-reader';
import { indexCalendar, protectionWindows } from './rules';
import { weddingRulesSchema } from '../config/schema';
import { CalendarTooLargeError } from './wedding-sink';

const ics = (...lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR'].join('\r\n');
const event = (uid: string, ...lines: string[]) => ['BEGIN:VEVENT', `UID:${uid}`, ...lines, 'END:VEVENT'];

// What Outlook/Exchange export for New York: a Windows name and its rules.
const EASTERN = [
  'BEGIN:VTIMEZONE',
  'TZID:Eastern Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:-0400',
  'TZOFFSETTO:-0500',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:-0500',
  'TZOFFSETTO:-0400',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

describe('iCalendar feeds as they come', () => {
  it('keeps a wedding whose DESCRIPTION has free text in a number field, with a note, and every other wedding', () => {
    const text = ics(
      ...event('a', 'DTSTART;TZID=Europe/London:20270605T140000', 'DESCRIPTION:Guests: 120\\nVendors: Bloom & Co (flowers)'),
      ...event('b', 'DTSTART;TZID=Europe/London:20270612T140000', 'X-WEDSYNC-GUESTS:80'),
    );
    const c = parseIcalCalendar(text, 'feed.ics');
    expect(c.weddings.map((w) => [w.id, w.guests, w.vendors])).toEqual([
      ['a', 120, 0],
      ['b', 80, 0],
    ]);
    expect(c.skipped).toBe(0);
    expect(c.issues).toEqual([{ event: 1, id: 'a', skipped: false, problem: 'DESCRIPTION line "vendors: Bloom & Co (flowers)" is not a number: ignored' }]);
  });

  it('skips events it cannot read (bad X-WEDSYNC value, no DTSTART, broken syntax) and reads the rest', () => {
    const text = ics(
      ...event('bad-guests', 'DTSTART;TZID=Europe/London:20270605T140000', 'X-WEDSYNC-GUESTS:about 100'),
      ...event('no-start', 'SUMMARY:nothing'),
      'BEGIN:VEVENT',
      'UID:broken',
      'DTSTART;TZID=Europe/London:2027-06-05 14:00',
      'END:VEVENT',
      ...event('good', 'DTSTART;TZID=Europe/London:20270612T140000', 'X-WEDSYNC-GUESTS:80'),
    );
    const c = parseIcalCalendar(text, 'feed.ics');
    expect(c.weddings.map((w) => w.id)).toEqual(['good']);
    expect(c.skipped).toBe(3);
    expect(c.issues.map((i) => [i.event, i.id, i.skipped])).toEqual([
      [1, 'bad-guests', true],
      [2, 'no-start', true],
      [3, 'broken', true],
    ]);
    expect(c.issues[1].problem).toBe('has no DTSTART');
  });

  it('maps a Windows zone name through CLDR and honours its VTIMEZONE: a New York 20:00 wedding ends 08:00Z (defect 3)', () => {
    const text = ics(
      ...EASTERN,
      ...event('ny', 'DTSTART;TZID=Eastern Standard Time:20270605T200000', 'DTEND;TZID=Eastern Standard Time:20270606T020000', 'X-WEDSYNC-GUESTS:150'),
    );
    const c = parseIcalCalendar(text, 'outlook.ics');
    expect(c.issues).toEqual([]);
    expect(c.weddings[0]).toMatchObject({ id: 'ny', timezone: 'America/New_York', start: '2027-06-05T20:00:00-04:00', days: 1 });
    const index = indexCalendar(c, weddingRulesSchema.parse({}));
    const [w] = protectionWindows(index, Date.parse('2027-06-05T00:00:00Z'), Date.parse('2027-06-07T00:00:00Z'));
    expect(new Date(w.endMs).toISOString()).toBe('2027-06-06T04:00:00.000Z'.replace('04:00', '08:00'));
    expect(w.saturdayProtection).toBe(true); // 5 June 2027 is a Saturday in New York
  });

  it('maps a Windows name without a VTIMEZONE block too, and a VTIMEZONE that comes after its events', () => {
    const text = ics(
      ...event('in', 'DTSTART;TZID=India Standard Time:20270605T100000'),
      ...event('custom', 'DTSTART;TZID=Venue Local Time:20270605T200000'),
      ...EASTERN.map((l) => (l === 'TZID:Eastern Standard Time' ? 'TZID:Venue Local Time' : l)),
    );
    const c = parseIcalCalendar(text, 'mixed.ics');
    expect(c.weddings.map((w) => [w.id, w.start])).toEqual([
      ['in', '2027-06-05T10:00:00+05:30'],
      ['custom', '2027-06-05T20:00:00-04:00'],
    ]);
    expect(c.weddings[0].timezone).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
    // An unknown name with rules: the instant from the rules, the days at that fixed offset, said in a note.
    expect(c.weddings[1].timezone).toBe('Etc/GMT+4');
    expect(c.issues).toEqual([expect.objectContaining({ id: 'custom', skipped: false, problem: expect.stringMatching(/neither IANA nor Windows/) })]);
  });

  it('refuses an event whose zone nobody defines, by name, instead of reading it as UTC', () => {
    const c = parseIcalCalendar(ics(...event('x', 'DTSTART;TZID=Mars Standard Time:20270605T200000')), 'mars.ics');
    expect(c.weddings).toEqual([]);
    expect(c.issues).toEqual([
      {
        event: 1,
        id: 'x',
        skipped: true,
        problem: 'DTSTART\'s TZID "Mars Standard Time" is not an IANA or Windows time zone, and the calendar has no VTIMEZONE for it',
      },
    ]);
  });

  it('reads a vendor-prefixed IANA TZID, and says so when an event has no time zone at all (defect 4)', () => {
    const c = parseIcalCalendar(
      ics(...event('p', 'DTSTART;TZID=/citadel.org/20190914_1/Europe/Berlin:20270605T140000'), ...event('f', 'DTSTART:20270605T140000')),
      'f.ics',
    );
    expect(c.weddings.map((w) => [w.id, w.timezone, w.start])).toEqual([
      ['p', 'Europe/Berlin', '2027-06-05T14:00:00+02:00'],
      ['f', 'UTC', '2027-06-05T14:00:00Z'],
    ]);
    expect(c.issues).toEqual([{ event: 2, id: 'f', skipped: false, problem: 'has no time zone (no TZID, no X-WR-TIMEZONE): its time is read as UTC' }]);
  });

  it('keeps both weddings of a repeated UID, with a note naming both events (defect 4)', () => {
    const c = parseIcalCalendar(
      ics(...event('dup', 'DTSTART;TZID=Europe/London:20270605T140000'), ...event('dup', 'DTSTART;TZID=Europe/London:20270612T140000')),
      'dup.ics',
    );
    expect(c.weddings.map((w) => w.start)).toEqual(['2027-06-05T14:00:00+01:00', '2027-06-12T14:00:00+01:00']);
    expect(c.issues).toEqual([{ event: 2, id: 'dup', skipped: false, problem: 'duplicate id (also event 1): both weddings are kept' }]);
  });

  it('reads a feed fed in arbitrary chunks (folded lines split mid-way) the same as whole', () => {
    const text = ics(
      ...EASTERN,
      ...event('ny', 'SUMMARY:A very long title that an exporter folds', ' onto a second line', 'DTSTART;TZID=Eastern Standard Time:20270605T200000'),
    );
    const reader = new IcalStreamReader('chunks.ics');
    for (let i = 0; i < text.length; i += 7) reader.push(text.slice(i, i + 7));
    const c = reader.end();
    expect(c.weddings[0]).toMatchObject({ title: 'A very long title that an exporter foldsonto a second line', start: '2027-06-05T20:00:00-04:00' });
  });

  it('drops weddings already over and refuses more weddings than the memory budget (defect 5)', () => {
    const text = ics(...event('past', 'DTSTART:20200605T140000Z'), ...event('a', 'DTSTART:20270605T140000Z'), ...event('b', 'DTSTART:20270606T140000Z'));
    expect(parseIcalCalendar(text, 'p.ics', { keepAfterMs: Date.parse('2026-01-01T00:00:00Z') }).weddings.map((w) => w.id)).toEqual(['a', 'b']);
    expect(() => parseIcalCalendar(text, 'p.ics', { maxWeddings: 2 })).toThrow(CalendarTooLargeError);
    expect(() => parseIcalCalendar(text, 'p.ics', { maxWeddings: 2 })).toThrow(/more than 2 upcoming weddings, over calendar.maxWeddings/);
  });
});

describe('JSON calendar entries', () => {
  it('skips one bad entry, naming it, and keeps the rest and repeated ids (defects 2, 4)', () => {
    const text = JSON.stringify({
      weddings: [
        { id: 'a', start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London', guests: 10 },
        { id: 'b', start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London', guests: 'Bloom & Co (flowers)' },
        { id: 'a', start: '2027-06-12T14:00:00+01:00', timezone: 'Europe/London', guests: 20 },
      ],
    });
    const c = parseJsonCalendar(text, 'cal.json');
    expect(c.weddings.map((w) => [w.id, w.guests])).toEqual([
      ['a', 10],
      ['a', 20],
    ]);
    expect(c.issues.map((i) => [i.event, i.id, i.skipped])).toEqual([
      [2, 'b', true],
      [3, 'a', false],
    ]);
    expect(c.issues[0].problem).toMatch(/^weddings\.1\.guests: /);
  });
});
