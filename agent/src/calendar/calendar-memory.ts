/**
 * What the calendar store remembers beyond its own process: per source, a summary of the calendar last in
 * force (to judge the first calendar after a restart), and operators' confirmations of held updates (so a
 * confirmation made on one replica applies on both). The durable state store keeps both in the agent's
 * state document, merged across replicas (durable/merge.ts); without it, LocalCalendarMemory keeps them
 * in this process only (a restart forgets them, as before).
 */
import type { CalendarSummary } from './drop-guard';

/** An operator's confirmation of a held update (POST /api/v1/calendar/confirm), as stored. */
export interface CalendarConfirmation {
  source: string;
  fingerprint: string;
  /** The API principal that confirmed. */
  actor: string;
  reason: string;
  atMs: number;
}

export interface CalendarMemory {
  /** The summary of the calendar last in force for a source, on this replica or another; undefined: none. */
  inForce(source: string): CalendarSummary | undefined;
  recordInForce(source: string, summary: CalendarSummary): void;
  /** Confirmations made on any replica (recent ones; older ones are dropped from the document). */
  confirmations(): readonly CalendarConfirmation[];
  recordConfirmation(c: CalendarConfirmation): void;
  /**
   * True while this memory is known to be lost (the stored state was unreadable and set aside): with
   * nothing to compare with, an empty calendar is then held rather than applied.
   */
  lost?(): boolean;
}

const LOCAL_CONFIRMATIONS = 50;

export class LocalCalendarMemory implements CalendarMemory {
  private readonly summaries = new Map<string, CalendarSummary>();
  private readonly confirmed: CalendarConfirmation[] = [];

  inForce(source: string): CalendarSummary | undefined {
    return this.summaries.get(source);
  }
  recordInForce(source: string, summary: CalendarSummary): void {
    this.summaries.set(source, summary);
  }
  confirmations(): readonly CalendarConfirmation[] {
    return this.confirmed;
  }
  recordConfirmation(c: CalendarConfirmation): void {
    this.confirmed.push(c);
    // Only the newest matter (a confirmation covers the update held now); keep the list small.
    if (this.confirmed.length > LOCAL_CONFIRMATIONS) this.confirmed.splice(0, this.confirmed.length - LOCAL_CONFIRMATIONS);
  }
}
