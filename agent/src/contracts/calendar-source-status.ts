/** What the calendar store tells the state and the API about each calendar source, and how an operator confirms a held update: types only. */
import type { CalendarIssue } from '../calendar/calendar-issues';

/** An update held back because it removed too many upcoming weddings (the last good calendar stays in force). */
export interface HeldCalendarUpdate {
  /** First 16 hex digits of the SHA-256 of the fetched text: what a confirmation must name. */
  fingerprint: string;
  /** Upcoming weddings in the calendar in force, and in the held update. */
  upcomingBefore: number;
  upcomingAfter: number;
  /** All weddings in the held update. */
  weddings: number;
  /** When this exact update was first held. */
  sinceMs: number;
}

export interface CalendarSourceStatus {
  /** The source's location as it may be shown: a URL's user info and query values redacted (util/redact-url.ts). */
  location: string;
  ok: boolean;
  /** Weddings in the calendar in force for this source (after a restart, with an update held and nothing else in force: the held update's, used meanwhile). */
  weddings: number;
  lastSuccessMs: number | null;
  lastError: string | null;
  held: HeldCalendarUpdate | null;
  /** In the last read: events left out because they could not be read, and events read with a note. */
  skippedEvents: number;
  notedEvents: number;
  /** The first of them, named (event number, id, field and reason). */
  issues: CalendarIssue[];
}

export type ConfirmOutcome =
  | { outcome: 'applied'; held: HeldCalendarUpdate }
  | { outcome: 'unknown-source' }
  | { outcome: 'nothing-held' }
  | { outcome: 'mismatch'; held: HeldCalendarUpdate };

/** Who confirmed a held update, and why (stored with the confirmation for the other replica). */
export interface Confirmer {
  actor: string;
  reason: string;
}
