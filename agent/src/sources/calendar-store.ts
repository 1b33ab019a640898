/**
 * Loads calendars from files or HTTP URLs and keeps the last good one when a source fails:
 * a planner's typo in the calendar must never make the agent forget every wedding. An update that
 * removes more than calendar.maxDropFraction of a source's upcoming weddings is held, not applied
 * (calendar/drop-guard.ts), until an operator confirms it by its fingerprint.
 *
 * What it remembers across replicas and restarts goes through a CalendarMemory (the durable state):
 * - the summary of each source's calendar in force, so the first calendar after a restart is judged
 *   against it rather than applied blindly;
 * - confirmations, so one made on either replica applies the same held update on both.
 * A held update with no calendar in force (after a restart) is used meanwhile: its weddings can only add
 * protection to an empty calendar. It still counts as held (the alert fires) until confirmed, and the
 * stored summary keeps describing the last confirmed calendar.
 */
import type { CalendarSourceConfig } from '../config/schema';
import type { CompactCalendar } from '../calendar/compact-calendar';
import { PackedCalendars } from '../calendar/calendar-index';
import { redactUrlsIn } from '../util/redact-url';
import {
  judgeAgainstSummary,
  judgeCalendarUpdate,
  summarizeCalendar,
  summaryIsStale,
  upcomingWeddings,
  type CalendarSummary,
  type DropVerdict,
} from '../calendar/drop-guard';
import { LocalCalendarMemory, type CalendarConfirmation, type CalendarMemory } from '../calendar/calendar-memory';
import type { HeldCalendarUpdate, CalendarSourceStatus, ConfirmOutcome, Confirmer } from '../contracts/calendar-source-status';
import { DEFAULT_CALENDAR_MAX_BYTES, readSourceBytes, sourceName, type Fetcher } from './calendar-fetch';
import { parseOffThread } from './calendar-parse-pool';

export type { HeldCalendarUpdate, CalendarSourceStatus, ConfirmOutcome, Confirmer };
export { httpRequestOf, sourceName, DEFAULT_CALENDAR_MAX_BYTES, type Fetcher, type FetchedResponse } from './calendar-fetch';
export { fingerprintOf } from './calendar-parse';

/** A held update applied because of a confirmation this replica did not receive itself (another replica's, or one recorded before it read the update). */
export interface AppliedConfirmation {
  source: string;
  held: HeldCalendarUpdate;
  confirmation: CalendarConfirmation;
}

/** Default for calendar.maxDropFraction: an update losing more than half the upcoming weddings is held. */
export const DEFAULT_MAX_DROP_FRACTION = 0.5;
/** Default for calendar.maxWeddings: upcoming weddings per source the agent holds (see BENCHMARKS.md, calendar memory). */
export const DEFAULT_MAX_WEDDINGS = 20_000;

export class CalendarStore {
  private readonly good = new Map<string, CompactCalendar>();
  /** Summary of each calendar in `good` (its atMs: when it was put in force here). */
  private readonly inForce = new Map<string, CalendarSummary>();
  private readonly held = new Map<string, { calendar: CompactCalendar; update: HeldCalendarUpdate }>();
  private appliedConfirmations: AppliedConfirmation[] = [];
  readonly status = new Map<string, CalendarSourceStatus>();

  constructor(
    private readonly sources: CalendarSourceConfig[],
    private readonly baseDir: string,
    private readonly now: () => number,
    private readonly fetcher: Fetcher = fetch,
    private readonly timeoutMs = 10_000,
    /** A larger calendar is refused before it is parsed (the pod has a memory limit); the last good one stays. */
    private readonly maxBytes = DEFAULT_CALENDAR_MAX_BYTES,
    /** An update removing more than this fraction of the upcoming weddings is held until confirmed. */
    private readonly maxDropFraction = DEFAULT_MAX_DROP_FRACTION,
    /** Summaries and confirmations shared with the other replica and the next start (durable state). */
    private readonly memory: CalendarMemory = new LocalCalendarMemory(),
    /** More upcoming weddings than this in one source: refused (the memory budget), the last good one stays. */
    private readonly maxWeddings = DEFAULT_MAX_WEDDINGS,
  ) {
    for (const s of sources)
      this.status.set(sourceName(s), {
        location: sourceName(s),
        ok: false,
        weddings: 0,
        lastSuccessMs: null,
        lastError: 'not loaded yet',
        held: null,
        skippedEvents: 0,
        notedEvents: 0,
        issues: [],
      });
  }

  /**
   * Refreshes every source; never throws. Returns what is in force (last good version of each source).
   * Reading is I/O on this thread; parsing happens in a worker thread, and only the packed calendar of
   * upcoming weddings comes back.
   */
  async refresh(): Promise<PackedCalendars> {
    await Promise.all(
      this.sources.map(async (s) => {
        const name = sourceName(s);
        const st = this.status.get(name)!;
        try {
          const bytes = await readSourceBytes(s, { baseDir: this.baseDir, fetcher: this.fetcher, timeoutMs: this.timeoutMs, maxBytes: this.maxBytes });
          const parsed = await parseOffThread({ format: s.format, bytes, origin: name, keepAfterMs: this.now(), maxWeddings: this.maxWeddings });
          Object.assign(st, { skippedEvents: parsed.skipped, notedEvents: parsed.noted, issues: parsed.issues });
          this.accept(name, parsed.calendar, parsed.fingerprint);
        } catch (err) {
          Object.assign(st, { ok: false, lastError: redactUrlsIn((err as Error).message) });
        }
      }),
    );
    return this.calendar();
  }

  /** Applies a freshly read calendar, or holds it when it drops too many upcoming weddings. */
  private accept(location: string, cal: CompactCalendar, fingerprint: string): void {
    const st = this.status.get(location)!;
    const now = this.now();
    const verdict = this.judge(location, cal, fingerprint, now);
    if (verdict?.hold) {
      const previous = this.held.get(location)?.update;
      const update: HeldCalendarUpdate = {
        fingerprint,
        upcomingBefore: verdict.upcomingBefore,
        upcomingAfter: verdict.upcomingAfter,
        weddings: cal.count,
        sinceMs: previous?.fingerprint === fingerprint ? previous.sinceMs : now,
      };
      const confirmation = this.confirmationFor(location, fingerprint);
      if (confirmation) {
        this.apply(location, cal, fingerprint);
        this.appliedConfirmations.push({ source: location, held: update, confirmation });
        return;
      }
      this.held.set(location, { calendar: cal, update });
      // With nothing in force (after a restart) the held calendar is what the source contributes meanwhile.
      Object.assign(st, { ok: true, lastSuccessMs: now, lastError: null, held: update, weddings: (this.good.get(location) ?? cal).count });
      return;
    }
    this.apply(location, cal, fingerprint);
  }

  /**
   * Against the calendar in force here; after a restart (nothing in force yet), against the stored
   * summary of the one last in force on either replica. Null: nothing to compare with, applied as it is.
   */
  private judge(location: string, cal: CompactCalendar, fingerprint: string, now: number): DropVerdict | null {
    const inForce = this.good.get(location);
    if (inForce) return judgeCalendarUpdate(inForce, cal, now, this.maxDropFraction);
    const stored = this.memory.inForce(location);
    // Memory lost with the stored state (set aside): an empty calendar may be the same broken export that
    // the summary would have caught, so it waits for an operator instead of being applied.
    if (!stored) return this.memory.lost?.() && upcomingWeddings(cal, now) === 0 ? { hold: true, upcomingBefore: 0, upcomingAfter: 0, dropFraction: 1 } : null;
    if (stored.fingerprint === fingerprint) return null;
    return judgeAgainstSummary(stored, cal, now, this.maxDropFraction);
  }

  /**
   * An operator's confirmation of exactly this update (on any replica), made since the calendar it would
   * replace was put in force: a confirmation of an old drop never waves through the same drop later.
   */
  private confirmationFor(location: string, fingerprint: string): CalendarConfirmation | undefined {
    const since = (this.inForce.get(location) ?? this.memory.inForce(location))?.atMs ?? -Infinity;
    let newest: CalendarConfirmation | undefined;
    for (const c of this.memory.confirmations())
      if (c.source === location && c.fingerprint === fingerprint && c.atMs >= since && (!newest || c.atMs > newest.atMs)) newest = c;
    return newest;
  }

  private apply(location: string, cal: CompactCalendar, fingerprint: string): void {
    const now = this.now();
    const stored = this.memory.inForce(location);
    // A new calendar in force is stored; the same one is re-summarised only when its count has aged.
    const summary = stored?.fingerprint === fingerprint && !summaryIsStale(stored, now) ? stored : summarizeCalendar(cal, fingerprint, now);
    if (summary !== stored) this.memory.recordInForce(location, summary);
    if (this.inForce.get(location)?.fingerprint !== fingerprint || !this.good.has(location)) this.inForce.set(location, summary);
    this.good.set(location, cal);
    this.held.delete(location);
    Object.assign(this.status.get(location)!, { ok: true, weddings: cal.count, lastSuccessMs: now, lastError: null, held: null });
  }

  /**
   * An operator's confirmation of a held update, named by source and fingerprint: applied only when it
   * is exactly the update held now, so a later, different update is never confirmed by accident. With
   * `by`, the confirmation is recorded for the other replica (and for this one after a restart).
   */
  confirm(location: string, fingerprint: string, by?: Confirmer): ConfirmOutcome {
    if (!this.status.has(location)) return { outcome: 'unknown-source' };
    const held = this.held.get(location);
    if (!held) return { outcome: 'nothing-held' };
    if (held.update.fingerprint !== fingerprint) return { outcome: 'mismatch', held: held.update };
    if (by) this.memory.recordConfirmation({ source: location, fingerprint, actor: by.actor, reason: by.reason, atMs: this.now() });
    this.apply(location, held.calendar, fingerprint);
    return { outcome: 'applied', held: held.update };
  }

  /**
   * Applies every held update a confirmation names (one made on the other replica shows after a durable
   * round), and returns those, with the ones applied while reading since the last call, once each.
   */
  applyConfirmed(): AppliedConfirmation[] {
    for (const [location, { calendar, update }] of [...this.held]) {
      const confirmation = this.confirmationFor(location, update.fingerprint);
      if (!confirmation) continue;
      this.apply(location, calendar, update.fingerprint);
      this.appliedConfirmations.push({ source: location, held: update, confirmation });
    }
    return this.appliedConfirmations.splice(0);
  }

  /**
   * What each source has in force, packed, in the sources' order (see PackedCalendars: a wedding id in
   * several sources counts once, from the first). A source with nothing in force but a held update
   * (after a restart) contributes the held update's weddings.
   */
  calendar(): PackedCalendars {
    return new PackedCalendars(
      this.sources.flatMap((s) => {
        const c = this.good.get(sourceName(s)) ?? this.held.get(sourceName(s))?.calendar;
        return c ? [c] : [];
      }),
    );
  }
}
