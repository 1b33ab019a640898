/**
 * Where a calendar reader puts the weddings it read, bounded by design:
 * - weddings over before `keepAfterMs` are not kept (only upcoming windows matter to the agent; a day's
 *   margin, as the drop guard counts "upcoming");
 * - the zone and tradition strings, repeated across thousands of weddings, are stored once;
 * - past `maxWeddings` kept weddings the read stops with CalendarTooLargeError: the agent refuses a
 *   calendar it cannot hold within its memory budget (the last good one stays in force);
 * - an id seen earlier in the same feed keeps both weddings, with a note naming both events.
 */
import type { Wedding } from './model';
import type { IssueCollector } from './calendar-issues';

export interface ReadLimits {
  /** Weddings whose last day ended (with a day's margin) before this instant are dropped. */
  keepAfterMs?: number;
  /** More kept weddings than this: the read fails with CalendarTooLargeError. */
  maxWeddings?: number;
}

export class CalendarTooLargeError extends Error {
  override name = 'CalendarTooLargeError';
}

const DAY_MS = 86_400_000;

export class WeddingSink {
  readonly weddings: Wedding[] = [];
  private readonly ids = new Map<string, number>();
  private readonly strings = new Map<string, string>();

  constructor(
    private readonly origin: string,
    private readonly limits: ReadLimits,
    private readonly issues: IssueCollector,
  ) {}

  private intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size < 10_000) this.strings.set(s, s);
    return s;
  }

  /** Adds one validated wedding read from event `n` (1-based). */
  add(w: Wedding, n: number): void {
    const { keepAfterMs, maxWeddings } = this.limits;
    if (keepAfterMs !== undefined && Date.parse(w.start) + (w.days + 1) * DAY_MS <= keepAfterMs) return;
    const first = this.ids.get(w.id);
    if (first !== undefined) this.issues.add({ event: n, id: w.id, problem: `duplicate id (also event ${first}): both weddings are kept`, skipped: false });
    else this.ids.set(w.id, n);
    if (maxWeddings !== undefined && this.weddings.length >= maxWeddings)
      throw new CalendarTooLargeError(
        `${this.origin}: more than ${maxWeddings} upcoming weddings, over calendar.maxWeddings (the memory budget for calendars); not applied, the last good calendar is kept`,
      );
    this.weddings.push({
      id: w.id,
      title: w.title,
      start: w.start,
      timezone: this.intern(w.timezone),
      days: w.days,
      guests: w.guests,
      tradition: this.intern(w.tradition),
      vendors: w.vendors,
    });
  }
}
