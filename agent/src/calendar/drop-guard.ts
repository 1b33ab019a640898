/**
 * A calendar update that suddenly loses most of its upcoming weddings is more likely a broken export
 * (`{"weddings":[]}` from a half-failed job, a truncated file, the wrong account) than a wave of
 * cancellations, and applying it drops every Saturday protection at once. So such an update is held: the
 * last good calendar stays in force until an operator confirms the held one by its fingerprint
 * (POST /api/v1/calendar/confirm). Pure: the caller supplies the instant.
 */
import type { WeddingCalendar } from './model';

const DAY_MS = 86_400_000;

/** Weddings not over by `nowMs` (start + days, with a day's margin for the last evening). */
export function upcomingWeddings(cal: WeddingCalendar, nowMs: number): number {
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
export function judgeCalendarUpdate(inForce: WeddingCalendar, next: WeddingCalendar, nowMs: number, maxDropFraction: number): DropVerdict {
  const upcomingBefore = upcomingWeddings(inForce, nowMs);
  const upcomingAfter = upcomingWeddings(next, nowMs);
  const dropFraction = upcomingBefore === 0 ? 0 : Math.max(0, upcomingBefore - upcomingAfter) / upcomingBefore;
  return { hold: dropFraction > maxDropFraction, upcomingBefore, upcomingAfter, dropFraction };
}
