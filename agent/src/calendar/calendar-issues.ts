/**
 * What a calendar reader found wrong with single events. A feed is written by people and exported by
 * many tools: one event with free text where a number belongs must never take the whole source down.
 * Such an event is skipped (or read with a default) and reported here; the source, every other wedding
 * and the drop guard go on as usual. Pure data: the store counts them and the refresher logs them.
 */
import type { WeddingCalendar } from './model';

export interface CalendarIssue {
  /** 1-based position of the event (VEVENT or `weddings[]` entry) in the feed. */
  event: number;
  /** The event's id (UID / `id`) when it has one. */
  id: string | null;
  /** Field and reason, e.g. `guests: expected a number, got "lots"`. */
  problem: string;
  /** True: the event was left out. False: it was read, with the note (a default used, UTC assumed). */
  skipped: boolean;
}

/** A calendar as read, with the events it skipped or read with a note. */
export interface CalendarRead extends WeddingCalendar {
  issues: CalendarIssue[];
  /** Events skipped in all (issues keeps only the first MAX_ISSUES_KEPT in detail). */
  skipped: number;
  /** Events read with a note, in all. */
  noted: number;
}

/** Issues kept in detail per read: enough to name the culprits, bounded for a feed that is all bad. */
export const MAX_ISSUES_KEPT = 20;

/** Collects issues for one read: counts all of them, keeps the first MAX_ISSUES_KEPT. */
export class IssueCollector {
  readonly issues: CalendarIssue[] = [];
  skipped = 0;
  noted = 0;

  add(issue: CalendarIssue): void {
    if (issue.skipped) this.skipped++;
    else this.noted++;
    if (this.issues.length < MAX_ISSUES_KEPT) this.issues.push(issue);
  }
}

/** One line naming the events, for a warning: `event 3 (uid-1): guests: …; event 7: …`. */
export function describeIssues(issues: readonly CalendarIssue[]): string {
  return issues.map((i) => `event ${i.event}${i.id ? ` (${i.id})` : ''}: ${i.problem}`).join('; ');
}

export class CalendarFormatError extends Error {
  override name = 'CalendarFormatError';
}

/**
 * For one-shot commands given a file (replay traces, `forecast --calendar`): a skipped event is an error
 * there, since nobody would see a warning in time and the result would silently miss a wedding.
 */
export function allEventsRead(read: CalendarRead, origin: string): WeddingCalendar {
  if (read.skipped > 0)
    throw new CalendarFormatError(`${origin}: ${read.skipped} event(s) cannot be read: ${describeIssues(read.issues.filter((i) => i.skipped))}`);
  return { weddings: read.weddings };
}
