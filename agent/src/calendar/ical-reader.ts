/**
 * Reads iCalendar (.ics) wedding calendars with ical.js.
 *
 * One VEVENT per wedding. DTSTART (with TZID, or UTC) is the first day's ceremony start; the time zone
 * is the TZID (else X-WR-TIMEZONE, else UTC). Wedding facts come from X- properties, falling back to
 * `key: value` lines in DESCRIPTION:
 *   X-WEDSYNC-GUESTS / guests, X-WEDSYNC-TRADITION / tradition, X-WEDSYNC-VENDORS / vendors,
 *   X-WEDSYNC-DAYS / days (else ceil((DTEND − DTSTART) / 24 h), at least 1: a reception past midnight
 *   is still one day, an event from Friday 17:00 to Sunday 01:00 is three).
 * UID is the id, SUMMARY the title. Events with STATUS:CANCELLED are skipped.
 */
import type ICALModule from 'ical.js' with { 'resolution-mode': 'import' };
// ical.js ships a CommonJS build beside its ES module; its types are declared for the ES module only.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: the CommonJS build, typed as the ES module
const ICAL = require('ical.js') as typeof ICALModule;
type ICALTime = InstanceType<typeof ICALModule.Time>;
type ICALComponent = InstanceType<typeof ICALModule.Component>;
import { DateTime, IANAZone } from 'luxon';
import type { Wedding, WeddingCalendar } from './model';
import { CalendarFormatError, weddingSchema } from './json-reader';

function descriptionFields(desc: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (desc ?? '').split(/\r?\n|\\n/)) {
    const m = /^\s*([A-Za-z_-]+)\s*:\s*(.+?)\s*$/.exec(line);
    if (m) out[m[1].toLowerCase()] = m[2];
  }
  return out;
}

function localDateTime(time: ICALTime, zone: string): DateTime {
  const fields = { year: time.year, month: time.month, day: time.day, hour: time.isDate ? 0 : time.hour, minute: time.isDate ? 0 : time.minute, second: time.isDate ? 0 : time.second };
  const isUtc = time.zone?.tzid === 'UTC' || time.zone === ICAL.Timezone.utcTimezone;
  return isUtc ? DateTime.fromObject(fields, { zone: 'UTC' }).setZone(zone) : DateTime.fromObject(fields, { zone });
}

export function parseIcalCalendar(text: string, origin: string): WeddingCalendar {
  let root: ICALComponent;
  try {
    root = new ICAL.Component(ICAL.parse(text) as unknown[]);
  } catch (err) {
    throw new CalendarFormatError(`${origin}: not iCalendar: ${(err as Error).message}`);
  }
  const calZone = (root.getFirstPropertyValue('x-wr-timezone') as string | null) ?? 'UTC';
  const weddings: Wedding[] = [];
  root.getAllSubcomponents('vevent').forEach((ev, i) => {
    if (String(ev.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return;
    const dtstart = ev.getFirstProperty('dtstart');
    if (!dtstart) throw new CalendarFormatError(`${origin}: event ${i + 1} has no DTSTART`);
    const tzid = (dtstart.getParameter('tzid') as string | undefined) ?? calZone;
    const zone = IANAZone.isValidZone(tzid) ? tzid : 'UTC';
    const start = localDateTime(dtstart.getFirstValue() as ICALTime, zone);
    const fields = descriptionFields(ev.getFirstPropertyValue('description') as string | undefined);
    const x = (name: string): string | undefined => (ev.getFirstPropertyValue(`x-wedsync-${name}`) as string | null) ?? fields[name];
    const end = ev.getFirstPropertyValue('dtend') as ICALTime | null;
    const spanDays = end ? Math.max(1, Math.ceil(localDateTime(end, zone).diff(start, 'hours').hours / 24)) : 1;
    const candidate = {
      id: String(ev.getFirstPropertyValue('uid') ?? `${origin}#${i + 1}`),
      title: String(ev.getFirstPropertyValue('summary') ?? ''),
      start: start.toISO({ suppressMilliseconds: true }),
      timezone: zone,
      days: x('days') !== undefined ? Number(x('days')) : spanDays,
      guests: Number(x('guests') ?? 0),
      tradition: x('tradition') ?? 'british',
      vendors: Number(x('vendors') ?? 0),
    };
    const r = weddingSchema.safeParse(candidate);
    if (!r.success) {
      throw new CalendarFormatError(`${origin}: event ${i + 1} (${candidate.id}): ${r.error.issues.map((iss) => `${iss.path.join('.')}: ${iss.message}`).join('; ')}`);
    }
    const { id, title, start: s, timezone, days, guests, tradition, vendors } = r.data;
    weddings.push({ id, title, start: s, timezone, days, guests, tradition, vendors });
  });
  return { weddings };
}
