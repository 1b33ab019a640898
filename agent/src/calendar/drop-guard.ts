/**
 * A calendar update that suddenly loses most of its upcoming weddings is more likely a broken export
 * (`{"weddings":[]}` from a half-failed job, a truncated file, the wrong account) than a wave of
 * cancellations, and applying it drops every Saturday protection at once. So such an update is held: the
 * last good calendar stays in force until an operator confirms the held one by its fingerprint
 * (POST /api/v1/calendar/confirm). Pure: the caller supplies the instant.
 */
import type { WeddingCalendar } from './model';
import { upcomingIn, type CompactCalendar } from './compact-calendar';

/** A calendar as read (weddings) or as the store keeps it (packed). */
export type JudgedCalendar = WeddingCalendar | CompactCalendar;
const isCompact = (cal: JudgedCalendar): cal is CompactCalendar => 'endMs' in cal;

const DAY_MS = 86_400_000;

/** Weddings not over by `nowMs` (start + days, with a day's margin for the last evening). */
export function upcomingWeddings(cal: JudgedCalendar, nowMs: number): number {
  if (isCompact(cal)) return upcomingIn(cal, nowMs);
  let n = 0;
  for (const w of cal.weddings) {
    const start = Date.parse(w.start);
    if (!Number.isFinite(start) || start + (w.days + 1) * DAY_MS > nowMs) n++;
  }
  return n;
}

export interface DropVerdict {
  hold: boolean;
  upcomingBefore: number;
  upcomingAfter: number;
  /** (before − after) / before, 0 when nothing was upcoming before. */
  dropFraction: number;
}

/** Whether replacing `inForce` by `next` removes more than `maxDropFraction` of the upcoming weddings. */
export function judgeCalendarUpdate(inForce: JudgedCalendar, next: JudgedCalendar, nowMs: number, maxDropFraction: number): DropVerdict {
  const upcomingBefore = upcomingWeddings(inForce, nowMs);
  const upcomingAfter = upcomingWeddings(next, nowMs);
  const dropFraction = upcomingBefore === 0 ? 0 : Math.max(0, upcomingBefore - upcomingAfter) / upcomingBefore;
  return { hold: dropFraction > maxDropFraction, upcomingBefore, upcomingAfter, dropFraction };
}

/** End instants of a summary's nearest upcoming weddings kept (so its count can be aged; see upcomingAt). */
export const SUMMARY_ENDS = 64;

/**
 * What the durable state keeps of the calendar in force for a source: enough to judge the first calendar
 * after a restart, not the calendar itself (the document lives in a ConfigMap, at most 1 MiB).
 */
export interface CalendarSummary {
  /** The fingerprint of the calendar's text (as HeldCalendarUpdate.fingerprint). */
  fingerprint: string;
  /** Upcoming weddings when it was put in force (or last re-summarised). */
  upcoming: number;
  /** When it was put in force (or last re-summarised). */
  atMs: number;
  /** End instants of its nearest upcoming weddings (at most SUMMARY_ENDS, ascending). */
  nextEndsMs: number[];
}

const weddingEndMs = (w: WeddingCalendar['weddings'][number]) => Date.parse(w.start) + (w.days + 1) * DAY_MS;

export function summarizeCalendar(cal: JudgedCalendar, fingerprint: string, nowMs: number): CalendarSummary {
  const ends = isCompact(cal) ? cal.endMs : cal.weddings.map(weddingEndMs);
  // One pass keeping the nearest SUMMARY_ENDS: no sort of 100k weddings on the main thread.
  const next: number[] = [];
  for (let i = 0; i < ends.length; i++) {
    const e = ends[i];
    if (!Number.isFinite(e) || e <= nowMs || (next.length === SUMMARY_ENDS && e >= next[SUMMARY_ENDS - 1])) continue;
    let at = next.length;
    while (at > 0 && next[at - 1] > e) at--;
    next.splice(at, 0, e);
    if (next.length > SUMMARY_ENDS) next.pop();
  }
  return { fingerprint, upcoming: upcomingWeddings(cal, nowMs), atMs: nowMs, nextEndsMs: next };
}

/**
 * The summary's upcoming weddings at a later instant: those whose end passed since are taken off. Past
 * SUMMARY_ENDS endings the count is too high (a hold, never a silent drop); the store re-summarises
 * before that (summaryIsStale).
 */
export function upcomingAt(s: CalendarSummary, nowMs: number): number {
  return Math.max(0, s.upcoming - s.nextEndsMs.filter((e) => e <= nowMs).length);
}

/** More than half of the kept end instants have passed: time to store a fresh summary. */
export const summaryIsStale = (s: CalendarSummary, nowMs: number): boolean => s.nextEndsMs.filter((e) => e <= nowMs).length > SUMMARY_ENDS / 2;

/** judgeCalendarUpdate against the stored summary of the calendar last in force (after a restart). */
export function judgeAgainstSummary(inForce: CalendarSummary, next: JudgedCalendar, nowMs: number, maxDropFraction: number): DropVerdict {
  const upcomingBefore = upcomingAt(inForce, nowMs);
  const upcomingAfter = upcomingWeddings(next, nowMs);
  const dropFraction = upcomingBefore === 0 ? 0 : Math.max(0, upcomingBefore - upcomingAfter) / upcomingBefore;
  return { hold: dropFraction > maxDropFraction, upcomingBefore, upcomingAfter, dropFraction };
}
