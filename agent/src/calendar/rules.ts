/**
 * Wedding rules as pure functions of (calendar, rules, instant). No clock of their own, no I/O.
 *
 * The calendar is expanded once into an index of wedding days with absolute instants, so that the
 * questions asked every tick (and every simulated minute of a replay) are arithmetic, not time-zone work.
 */
import { DateTime } from 'luxon';
import type { WeddingRules } from '../config/schema';
import { PHASES, type WeddingCalendar, type WeddingDay, type WeddingPhase } from './model';
import { CalendarIndex, PackedCalendars } from './calendar-index';
import { packCalendar } from './compact-calendar';

const HOUR_MS = 3_600_000;

export function traditionMultiplier(tradition: string, rules: WeddingRules): number {
  return rules.traditions[tradition.toLowerCase()] ?? rules.defaultTraditionMultiplier;
}

export { CalendarIndex };

/**
 * The index of a calendar: packed calendars (the store's, parsed off the main thread) are indexed as they
 * are, at once; weddings given as objects (tests, replays) are packed and expanded here, in one go.
 */
export function indexCalendar(cal: WeddingCalendar, rules: WeddingRules): CalendarIndex {
  return new CalendarIndex(cal instanceof PackedCalendars ? cal.parts : [packCalendar(cal.weddings)], rules);
}

/** Wedding days whose live window [start, end) overlaps [from, to). */
export function daysOverlapping(index: CalendarIndex, fromMs: number, toMs: number, timezones: readonly string[] = []): WeddingDay[] {
  return index.overlapping(fromMs, toMs, timezones);
}

export interface LiveWedding {
  day: WeddingDay;
  phase: WeddingPhase;
}

/** The phase of a wedding day at `t`, or null outside its window. Phases are [start, end) in hours from the ceremony. */
export function phaseAt(day: WeddingDay, rules: WeddingRules, t: number): WeddingPhase | null {
  const h = (t - day.ceremonyStartMs) / HOUR_MS;
  for (const p of PHASES) {
    const [a, b] = rules.phases[p];
    if (h >= a && h < b) return p;
  }
  return null;
}

/** Weddings live at `t`, optionally only those in the given time zones (empty = all). */
export function liveWeddings(index: CalendarIndex, t: number, timezones: readonly string[] = []): LiveWedding[] {
  const out: LiveWedding[] = [];
  for (const day of daysOverlapping(index, t, t + 1, timezones)) {
    const phase = phaseAt(day, index.rules, t);
    if (phase) out.push({ day, phase });
  }
  return out;
}

/** Is `t` a Saturday (or another protected weekday) in time zone `tz`? */
export function isLocalWeekday(t: number, tz: string, weekdays: readonly number[] = [6]): boolean {
  return weekdays.includes(DateTime.fromMillis(t, { zone: tz }).weekday);
}

/**
 * Saturday protection: weddings live at `t` whose ceremony day is a protected weekday in the
 * wedding's own zone. The ceremony day decides, so a reception running past midnight stays protected,
 * and a Saturday wedding in Kolkata protects even while it is still Friday in New York.
 */
export function protectingWeddings(index: CalendarIndex, t: number, timezones: readonly string[] = []): LiveWedding[] {
  return onProtectedDays(index, liveWeddings(index, t, timezones));
}

/** The live weddings whose ceremony day is a protected weekday in their own zone. */
export function onProtectedDays(index: CalendarIndex, live: readonly LiveWedding[]): LiveWedding[] {
  return live.filter((l) => index.rules.protectedWeekdays.includes(l.day.localWeekday));
}

/** Peak season for a region at `t` (month judged in the season's configured time zone). */
export function isPeakSeason(t: number, rules: WeddingRules, region: string): boolean {
  const months = rules.peakSeason.regions[region];
  if (!months) return false;
  return months.includes(monthIn(t, rules.peakSeason.timezone));
}

/** The month a zone's calendar shows, asked every tick: the last month's bounds per zone, so a tick does no time-zone work. */
const lastMonth = new Map<string, { fromMs: number; toMs: number; month: number }>();

function monthIn(t: number, zone: string): number {
  const known = lastMonth.get(zone);
  if (known && t >= known.fromMs && t < known.toMs) return known.month;
  const local = DateTime.fromMillis(t, { zone });
  const from = local.startOf('month');
  if (lastMonth.size > 64) lastMonth.clear();
  lastMonth.set(zone, { fromMs: from.toMillis(), toMs: from.plus({ months: 1 }).toMillis(), month: local.month });
  return local.month;
}

/** Expected wedding load at `t`: Σ guests × tradition multiplier × phase factor × per-guest load. */
export function expectedWeddingLoad(index: CalendarIndex, t: number, timezones: readonly string[] = []): number {
  return weddingLoad(index, liveWeddings(index, t, timezones));
}

/** The load a set of live weddings adds, each at its phase's factor. */
export function weddingLoad(index: CalendarIndex, live: readonly LiveWedding[]): number {
  let sum = 0;
  for (const l of live) sum += l.day.loadAtFactorOne * index.rules.phaseFactors[l.phase];
  return sum;
}

export interface ProtectionWindow {
  weddingId: string;
  title: string;
  timezone: string;
  dayIndex: number;
  localDate: string;
  startMs: number;
  endMs: number;
  /** True when the ceremony day is a protected weekday (no scale-down, deploy freeze). */
  saturdayProtection: boolean;
}

/** Live windows of wedding days overlapping [from, to), for the API and the panel's timeline. */
export function protectionWindows(index: CalendarIndex, fromMs: number, toMs: number, timezones: readonly string[] = []): ProtectionWindow[] {
  return daysOverlapping(index, fromMs, toMs, timezones).map((d) => ({
    weddingId: d.wedding.id,
    title: d.wedding.title,
    timezone: d.wedding.timezone,
    dayIndex: d.dayIndex,
    localDate: d.localDate,
    startMs: d.windowStartMs,
    endMs: d.windowEndMs,
    saturdayProtection: index.rules.protectedWeekdays.includes(d.localWeekday),
  }));
}

/** When the last protecting window live at `t` ends (for "until this wedding ends" overrides), or null. */
export function liveWindowEnd(index: CalendarIndex, t: number, timezones: readonly string[] = []): number | null {
  const live = liveWeddings(index, t, timezones);
  return live.length ? Math.max(...live.map((l) => l.day.windowEndMs)) : null;
}
