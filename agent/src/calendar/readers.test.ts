import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJsonCalendar } from './json-reader';
import { parseIcalCalendar } from './ical-reader';

const EXAMPLES = join(__dirname, '..', '..', 'examples');

describe('JSON calendar reader', () => {
  it('reads the shared traces format', () => {
    const cal = parseJsonCalendar(readFileSync(join(EXAMPLES, 'weddings.json'), 'utf8'), 'weddings.json');
    expect(cal.weddings[0]).toEqual({
      id: 'w-0001',
      title: 'Priya & Arjun',
      start: '2027-06-05T10:00:00+05:30',
      timezone: 'Asia/Kolkata',
      days: 3,
      guests: 450,
      tradition: 'indian',
      vendors: 14,
    });
  });
  it.each([
    ['not JSON', '{', /not JSON/],
    ['no weddings array', '{"wedding":[]}', /weddings: expected an array/],
  ])('rejects %s', (_n, text, message) => {
    expect(() => parseJsonCalendar(text, 'bad.json')).toThrow(message);
  });
  it.each([
    [
      'a start without offset',
      '{"weddings":[{"id":"a","start":"2027-06-05T10:00:00","timezone":"Europe/London","guests":1}]}',
      /weddings\.0\.start: must be ISO-8601 with a UTC offset/,
    ],
    ['a bad zone', '{"weddings":[{"id":"a","start":"2027-06-05T10:00:00Z","timezone":"Nowhere","guests":1}]}', /weddings\.0\.timezone: is not an IANA/],
    ['negative guests', '{"weddings":[{"id":"a","start":"2027-06-05T10:00:00Z","timezone":"UTC","guests":-3}]}', /weddings\.0\.guests/],
  ])('skips an entry with %s, naming the field and reason', (_n, text, message) => {
    const c = parseJsonCalendar(text, 'bad.json');
    expect(c.weddings).toEqual([]);
    expect(c.issues[0]).toMatchObject({ event: 1, id: 'a', skipped: true, problem: expect.stringMatching(message) });
  });
});

describe('iCalendar reader (ical.js)', () => {
  const cal = parseIcalCalendar(readFileSync(join(EXAMPLES, 'weddings.ics'), 'utf8'), 'weddings.ics');
  it('reads TZID start times, X-WEDSYNC properties and DTEND spans', () => {
    expect(cal.weddings[0]).toEqual({
      id: 'w-0003',
      title: 'Eleni & Nikos',
      start: '2027-06-05T17:00:00+03:00',
      timezone: 'Europe/Athens',
      days: 1,
      guests: 220,
      tradition: 'greek',
      vendors: 9,
    });
  });
  it('counts days from DTEND in whole 24-hour spans (a reception past midnight is one day)', () => {
    const text =
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTART;TZID=Asia/Kolkata:20270603T170000\r\nDTEND;TZID=Asia/Kolkata:20270606T010000\r\nEND:VEVENT\r\nEND:VCALENDAR';
    expect(parseIcalCalendar(text, 'multi.ics').weddings[0].days).toBe(3);
  });
  it('falls back to key: value lines in DESCRIPTION', () => {
    expect(cal.weddings[1]).toMatchObject({
      id: 'w-0004',
      start: '2027-06-12T12:00:00+01:00',
      timezone: 'Africa/Lagos',
      days: 2,
      guests: 600,
      tradition: 'nigerian',
      vendors: 11,
    });
  });
  it('reads UTC times, skips cancelled events and defaults to the calendar zone', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'X-WR-TIMEZONE:Europe/London',
      'BEGIN:VEVENT',
      'UID:u1',
      'DTSTART:20270605T130000Z',
      'X-WEDSYNC-GUESTS:50',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:u2',
      'STATUS:CANCELLED',
      'DTSTART:20270605T130000Z',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const c = parseIcalCalendar(text, 'utc.ics');
    expect(c.weddings).toHaveLength(1);
    expect(c.weddings[0]).toMatchObject({ id: 'u1', start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London', guests: 50, days: 1 });
  });
  it('skips an event with a bad guest count, naming the event and field, and reads the rest (issue 24, defect 2)', () => {
    const text =
      'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20270605T130000Z\r\nX-WEDSYNC-GUESTS:lots\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:y\r\nDTSTART:20270605T130000Z\r\nX-WEDSYNC-GUESTS:40\r\nEND:VEVENT\r\nEND:VCALENDAR';
    const c = parseIcalCalendar(text, 'bad.ics');
    expect(c.weddings.map((w) => w.id)).toEqual(['y']);
    expect(c.skipped).toBe(1);
    expect(c.issues).toEqual([expect.objectContaining({ event: 1, id: 'x', skipped: true, problem: expect.stringMatching(/^guests: .*\(got "lots"\)/) })]);
  });
  it('rejects text that is not iCalendar', () => {
    expect(() => parseIcalCalendar('hello', 'junk.ics')).toThrow(/not iCalendar/);
  });
});
