/**
 * A zone's UTC offset at an instant, remembered per zone and 6-hour slot. Luxon asks Intl for the offset
 * on every conversion (formatToParts): on 100k weddings that was most of the time spent reading a
 * calendar. A slot whose two ends have the same offset has it throughout (zones change offset at most
 * once in six hours); a slot with a change in it is asked of Intl each time. Wall-clock arithmetic
 * follows luxon's own (fixOffset), so the answers are luxon's.
 */
import { IANAZone } from 'luxon';

const SLOT_MS = 6 * 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Per zone: slot → the slot's offset in minutes, or NaN when it changes inside the slot. */
const slots = new Map<string, Map<number, number>>();
const MAX_SLOTS = 200_000;
let cached = 0;

/** The offset of `zone` at `ms`, in minutes (as luxon's Zone.offset). */
export function offsetMinutes(zone: string, ms: number): number {
  const tz = IANAZone.create(zone);
  let perZone = slots.get(zone);
  if (!perZone) slots.set(zone, (perZone = new Map<number, number>()));
  const slot = Math.floor(ms / SLOT_MS);
  let o = perZone.get(slot);
  if (o === undefined) {
    const a = tz.offset(slot * SLOT_MS);
    o = a === tz.offset((slot + 1) * SLOT_MS - 1) ? a : NaN;
    // Bounded: a calendar spanning centuries cannot grow it without end.
    if (cached >= MAX_SLOTS) {
      slots.clear();
      cached = 0;
    }
    perZone.set(slot, o);
    cached++;
  }
  return Number.isNaN(o) ? tz.offset(ms) : o;
}

/** The instant of a wall-clock time (given as if UTC) in `zone`, from a guessed offset (luxon's fixOffset). */
function fixOffset(zone: string, localMs: number, guess: number): number {
  let utc = localMs - guess * MINUTE_MS;
  const o2 = offsetMinutes(zone, utc);
  if (guess === o2) return utc;
  utc -= (o2 - guess) * MINUTE_MS;
  const o3 = offsetMinutes(zone, utc);
  if (o2 === o3) return utc;
  return localMs - Math.min(o2, o3) * MINUTE_MS;
}

export interface LocalDay {
  ms: number;
  /** yyyymmdd of the local date. */
  date: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/**
 * `days` days after the instant `startMs` at the same local wall-clock time in `zone` (a 14:00 ceremony
 * stays at 14:00 across DST changes), as luxon's `DateTime.setZone(zone).plus({ days })`.
 */
export function sameWallClockDaysLater(zone: string, startMs: number, days: number): LocalDay {
  const o = offsetMinutes(zone, startMs);
  const localMs = startMs + o * MINUTE_MS + days * DAY_MS;
  const ms = days === 0 ? startMs : fixOffset(zone, localMs, o);
  const local = new Date(ms + offsetMinutes(zone, ms) * MINUTE_MS);
  return { ms, date: local.getUTCFullYear() * 10_000 + (local.getUTCMonth() + 1) * 100 + local.getUTCDate(), weekday: local.getUTCDay() || 7 };
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * The instant of a wall-clock time in `zone`, as luxon's `DateTime.fromObject(fields, { zone })` gives
 * it (its first guess is the zone's offset now); NaN for a time that does not exist on any calendar
 * (30 February, hour 24): the caller asks luxon why.
 */
export function wallClockInstant(zone: string, f: WallClock): number {
  const localMs = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  const back = new Date(localMs);
  const same =
    back.getUTCFullYear() === f.year &&
    back.getUTCMonth() === f.month - 1 &&
    back.getUTCDate() === f.day &&
    back.getUTCHours() === f.hour &&
    back.getUTCMinutes() === f.minute &&
    back.getUTCSeconds() === f.second;
  return same ? fixOffset(zone, localMs, offsetMinutes(zone, Date.now())) : NaN;
}

/** The instant as ISO-8601 with the zone's offset, as luxon's `toISO({ suppressMilliseconds: true })` writes it. */
export function isoInZone(zone: string, ms: number): string {
  const o = offsetMinutes(zone, ms);
  const local = new Date(ms + o * MINUTE_MS).toISOString();
  const base = local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23);
  if (o === 0 && zone === 'UTC') return `${base}Z`;
  const a = Math.abs(o);
  return `${base}${o < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
