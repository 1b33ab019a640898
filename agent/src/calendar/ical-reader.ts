/**
 * Reads iCalendar (.ics) wedding calendars, one event at a time.
 *
 * One VEVENT per wedding. DTSTART is the first day's ceremony start; its zone is the TZID (an IANA name,
 * a Windows name mapped through CLDR, or a name defined by a VTIMEZONE block: see ical-zones.ts), else
 * X-WR-TIMEZONE, else UTC (said in a note). Wedding facts come from X- properties, falling back to
 * `key: value` lines in DESCRIPTION:
 *   X-WEDSYNC-GUESTS / guests, X-WEDSYNC-TRADITION / tradition, X-WEDSYNC-VENDORS / vendors,
 *   X-WEDSYNC-DAYS / days (else ceil((DTEND − DTSTART) / 24 h), at least 1: a reception past midnight
 *   is still one day, an event from Friday 17:00 to Sunday 01:00 is three).
 * UID is the id, SUMMARY the title. Events with STATUS:CANCELLED are skipped.
 *
 * An event that cannot be read (a bad X-WEDSYNC value, no DTSTART, an unknown zone) is skipped and
 * reported (calendar-issues.ts); the rest of the feed is read. DESCRIPTION is free text written by people:
 * a line there whose value is not a number (`Vendors: Bloom & Co (flowers)`) is not a wedding fact, so it
 * is ignored with a note and the event is kept. The text is split into events line by line (the reader
 * takes chunks), and ical.js parses one event at a time: a whole feed is never held as one parsed tree.
 */
import type ICALModule from 'ical.js' with { 'resolution-mode': 'import' };
// ical.js ships a CommonJS build beside its ES module; its types are declared for the ES module only.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: the CommonJS build, typed as the ES module
const ICAL = require('ical.js') as typeof ICALModule;
type ICALTime = InstanceType<typeof ICALModule.Time>;
type ICALTimezone = InstanceType<typeof ICALModule.Timezone>;
type ICALComponent = InstanceType<typeof ICALModule.Component>;
type ICALProperty = InstanceType<typeof ICALModule.Property>;
import { DateTime } from 'luxon';
import { isoInZone, wallClockInstant } from './zone-offsets';
import { CalendarFormatError, weddingSchema } from './json-reader';
import { IssueCollector, type CalendarRead } from './calendar-issues';
import { fixedOffsetZone, ianaZoneFor } from './ical-zones';
import { CalendarTooLargeError, WeddingSink, type ReadLimits } from './wedding-sink';

function descriptionFields(desc: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (desc ?? '').split(/\r?\n|\\n/)) {
    const m = /^\s*([A-Za-z_-]+)\s*:\s*(.+?)\s*$/.exec(line);
    if (m) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}

/** A whole number written as such; anything else is NaN (so the schema names the field). */
const strictNumber = (s: string): number => (/^\s*-?\d+(\.\d+)?\s*$/.test(s) ? Number(s) : NaN);
const clip = (s: string, n = 40): string => (s.length > n ? `${s.slice(0, n)}…` : s);

const timeFields = (t: ICALTime) => ({
  year: t.year,
  month: t.month,
  day: t.day,
  hour: t.isDate ? 0 : t.hour,
  minute: t.isDate ? 0 : t.minute,
  second: t.isDate ? 0 : t.second,
});
const isUtcTime = (t: ICALTime): boolean => t.zone?.tzid === 'UTC' || t.zone === ICAL.Timezone.utcTimezone;

/** How the event's times are placed on the time line, and in which IANA zone its days are judged. */
interface EventZone {
  zone: string;
  /** The VTIMEZONE whose rules give the instants (a non-IANA TZID that has one). */
  rules?: ICALTimezone;
  /** Said with the event: UTC assumed, fixed offset used. */
  note?: string;
}

export class IcalStreamReader {
  private pending = '';
  private started = false;
  private block: string[] | null = null;
  private blockKind: 'vevent' | 'vtimezone' = 'vevent';
  private blockDepth = 0;
  private calZoneName: string | null = null;
  private readonly zones = new Map<string, ICALTimezone>();
  /** Events whose TZID names no known zone yet: a VTIMEZONE may follow them (read at the end). */
  private readonly deferred: Array<{ text: string; n: number }> = [];
  private eventNo = 0;
  private readonly issues = new IssueCollector();
  private readonly sink: WeddingSink;

  constructor(
    private readonly origin: string,
    limits: ReadLimits = {},
  ) {
    this.sink = new WeddingSink(origin, limits, this.issues);
  }

  /** Feeds the next piece of the text (any split, even mid-line). */
  push(chunk: string): void {
    const lines = (this.pending + chunk).split(/\r?\n/);
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** The calendar read, with the events skipped or noted. Throws CalendarFormatError when the text is not iCalendar. */
  end(): CalendarRead {
    if (this.pending) this.line(this.pending);
    this.pending = '';
    if (!this.started) throw new CalendarFormatError(`${this.origin}: not iCalendar: it does not begin with BEGIN:VCALENDAR`);
    if (this.block)
      this.issues.add({ event: this.eventNo, id: null, problem: `the ${this.blockKind.toUpperCase()} has no END line (a truncated file?)`, skipped: true });
    this.block = null;
    for (const d of this.deferred.splice(0)) this.readEvent(d.text, d.n, true);
    return { weddings: this.sink.weddings, issues: this.issues.issues, skipped: this.issues.skipped, noted: this.issues.noted };
  }

  private line(raw: string): void {
    if (this.block) {
      this.block.push(raw);
      if (/^BEGIN:/i.test(raw)) this.blockDepth++;
      else if (/^END:/i.test(raw) && --this.blockDepth === 0) {
        const text = this.block.join('\r\n');
        this.block = null;
        if (this.blockKind === 'vevent') this.readEvent(text, this.eventNo, false);
        else this.readZone(text);
      }
      return;
    }
    const line = raw.trim();
    if (line === '') return;
    if (!this.started) {
      if (!/^BEGIN:VCALENDAR$/i.test(line.replace(/^\uFEFF/, '')))
        throw new CalendarFormatError(`${this.origin}: not iCalendar: it does not begin with BEGIN:VCALENDAR`);
      this.started = true;
      return;
    }
    const begin = /^BEGIN:(VEVENT|VTIMEZONE)$/i.exec(line);
    if (begin) {
      this.blockKind = begin[1].toLowerCase() as 'vevent' | 'vtimezone';
      if (this.blockKind === 'vevent') this.eventNo++;
      this.block = [line];
      this.blockDepth = 1;
      return;
    }
    const calZone = /^X-WR-TIMEZONE(?:;[^:]*)?:(.*)$/i.exec(line);
    if (calZone) this.calZoneName = calZone[1].trim();
  }

  private readZone(text: string): void {
    try {
      const comp = new ICAL.Component(ICAL.parse(text) as unknown[]);
      const tzid = comp.getFirstPropertyValue('tzid') as string | null;
      if (tzid) this.zones.set(tzid, new ICAL.Timezone(comp));
    } catch {
      // A broken VTIMEZONE defines nothing: events naming it are refused by name when they are read.
    }
  }

  /** One event; whatever ical.js throws while reading it (values are decoded lazily) skips that event only. */
  private readEvent(text: string, n: number, atEnd: boolean): void {
    let ev: ICALComponent;
    try {
      ev = new ICAL.Component(ICAL.parse(text) as unknown[]);
    } catch (err) {
      this.issues.add({ event: n, id: null, problem: `not a readable VEVENT: ${clip((err as Error).message, 120)}`, skipped: true });
      return;
    }
    try {
      this.readParsedEvent(ev, text, n, atEnd);
    } catch (err) {
      if (err instanceof CalendarTooLargeError) throw err;
      this.issues.add({ event: n, id: eventUid(ev), problem: `cannot be read: ${clip((err as Error).message, 120)}`, skipped: true });
    }
  }

  private readParsedEvent(ev: ICALComponent, text: string, n: number, atEnd: boolean): void {
    if (String(ev.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return;
    const uid = ev.getFirstPropertyValue('uid') as string | null;
    const id = uid ? String(uid) : `${this.origin}#${n}`;
    const skip = (problem: string) => this.issues.add({ event: n, id: uid, problem, skipped: true });
    const dtstart = ev.getFirstProperty('dtstart');
    if (!dtstart) return skip('has no DTSTART');
    const zone = this.zoneOf(dtstart);
    if (zone === 'later') {
      if (!atEnd) this.deferred.push({ text, n });
      else skip(`DTSTART's TZID "${clip(String(dtstart.getParameter('tzid')))}" is not an IANA or Windows time zone, and the calendar has no VTIMEZONE for it`);
      return;
    }
    if ('error' in zone) return skip(zone.error);
    const start = this.instant(dtstart.getFirstValue() as ICALTime, zone);
    if (typeof start === 'string') return skip(`DTSTART is not a valid time: ${start}`);
    const notes: string[] = zone.note ? [zone.note] : [];
    const fields = descriptionFields(ev.getFirstPropertyValue('description') as string | undefined);
    const xprop = (name: string) => ev.getFirstPropertyValue(`x-wedsync-${name}`) as string | null;
    const text_ = (name: string): string | undefined => xprop(name) ?? fields[name];
    const num = (name: string): number | undefined => {
      const x = xprop(name);
      if (x !== null) return strictNumber(String(x));
      const d = fields[name];
      if (d === undefined) return undefined;
      const v = strictNumber(d);
      if (Number.isNaN(v)) notes.push(`DESCRIPTION line "${name}: ${clip(d)}" is not a number: ignored`);
      return Number.isNaN(v) ? undefined : v;
    };
    const endProp = ev.getFirstProperty('dtend');
    const endZone = endProp ? this.zoneOf(endProp) : null;
    const end = endProp && endZone && endZone !== 'later' && !('error' in endZone) ? this.instant(endProp.getFirstValue() as ICALTime, endZone) : null;
    const spanDays = typeof end === 'number' ? Math.max(1, Math.ceil((end - start) / 3_600_000 / 24)) : 1;
    const candidate = {
      id,
      title: String(ev.getFirstPropertyValue('summary') ?? ''),
      start: isoInZone(zone.zone, start),
      timezone: zone.zone,
      days: num('days') ?? spanDays,
      guests: num('guests') ?? 0,
      tradition: text_('tradition') ?? 'british',
      vendors: num('vendors') ?? 0,
    };
    const r = weddingSchema.safeParse(candidate);
    if (!r.success) return skip(r.error.issues.map((iss) => `${iss.path.join('.')}: ${iss.message}${fieldValue(ev, iss.path[0])}`).join('; '));
    for (const note of notes) this.issues.add({ event: n, id: uid, problem: note, skipped: false });
    this.sink.add(r.data, n);
  }

  /** The zone of a DTSTART/DTEND property; 'later' when its TZID may be defined by a VTIMEZONE not read yet. */
  private zoneOf(prop: ICALProperty): EventZone | { error: string } | 'later' {
    const value = prop.getFirstValue() as ICALTime;
    const tzid = prop.getParameter('tzid') as string | undefined;
    if (tzid === undefined || isUtcTime(value)) return this.calendarZone(isUtcTime(value));
    return this.namedZone(tzid) ?? 'later';
  }

  private namedZone(tzid: string): EventZone | null {
    const known = ianaZoneFor(tzid);
    const rules = this.zones.get(tzid);
    if (known?.via === 'iana') return { zone: known.zone };
    // A Windows name: the VTIMEZONE's rules place the instant (what the exporter meant), CLDR's zone judges the days.
    if (known) return { zone: known.zone, rules };
    if (!rules) return null;
    return {
      zone: '',
      rules,
      note: `time zone "${clip(tzid)}" is neither IANA nor Windows: its VTIMEZONE rules give the instant, and the days are judged at that fixed offset`,
    };
  }

  /** The zone for UTC and floating times: X-WR-TIMEZONE, else UTC, said in a note. */
  private calendarZone(utc: boolean): EventZone {
    const name = this.calZoneName;
    const named = name ? this.namedZone(name) : null;
    if (named && named.zone) return { zone: named.zone };
    if (utc) return { zone: 'UTC', note: name ? `X-WR-TIMEZONE "${clip(name)}" is not a known time zone: its days are judged in UTC` : undefined };
    return {
      zone: 'UTC',
      note: name
        ? `X-WR-TIMEZONE "${clip(name)}" is not a known time zone: its time, given without a zone, is read as UTC`
        : 'has no time zone (no TZID, no X-WR-TIMEZONE): its time is read as UTC',
    };
  }

  /**
   * The instant (ms) of an iCalendar time in the event's zone (a VTIMEZONE's rules when it has them), or
   * why it is not a valid time. Zone arithmetic by zone-offsets.ts (luxon's answers, without its Intl call
   * per conversion: most of the time reading 100k events).
   */
  private instant(t: ICALTime, zone: EventZone): number | string {
    if (zone.rules && !isUtcTime(t)) {
      const local = t.clone();
      local.zone = zone.rules;
      const at = local.toUnixTime() * 1000;
      if (!zone.zone) zone.zone = fixedOffsetZone(zone.rules.utcOffset(local)) ?? '';
      return zone.zone ? at : 'the VTIMEZONE gives an offset that is not whole hours';
    }
    const ianaZone = isUtcTime(t) ? 'UTC' : zone.zone;
    const ms = wallClockInstant(ianaZone, timeFields(t));
    if (Number.isFinite(ms)) return ms;
    const luxon = DateTime.fromObject(timeFields(t), { zone: ianaZone });
    return luxon.isValid ? luxon.toMillis() : (luxon.invalidExplanation ?? luxon.invalidReason ?? '');
  }
}

function eventUid(ev: ICALComponent): string | null {
  try {
    const uid = ev.getFirstPropertyValue('uid') as string | null;
    return uid ? String(uid) : null;
  } catch {
    return null;
  }
}

/** `(got "lots")` for a field the schema refused, when the event has the X-WEDSYNC property. */
function fieldValue(ev: ICALComponent, key: PropertyKey | undefined): string {
  if (typeof key !== 'string') return '';
  const v = ev.getFirstPropertyValue(`x-wedsync-${key}`) as string | null;
  return v === null ? '' : ` (got "${clip(String(v))}")`;
}

/** The whole text at once: what tests and the CLI use; the store feeds chunks. */
export function parseIcalCalendar(text: string, origin: string, limits: ReadLimits = {}): CalendarRead {
  const reader = new IcalStreamReader(origin, limits);
  reader.push(text);
  return reader.end();
}
