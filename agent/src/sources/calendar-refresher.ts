/**
 * Keeps the state's calendar current: every refreshSeconds, on its own timer and never inside a tick, it
 * asks the calendar store for the merged calendar, indexes it once (all time-zone work happens here) and
 * records each source's health. A hanging calendar URL delays only the next refresh.
 */
import type { AgentConfig } from '../config/agent-config';
import { indexCalendar } from '../calendar/rules';
import type { WeddingCalendar } from '../calendar/model';
import type { AgentMetrics } from '../metrics/agent-metrics';
import type { AgentState } from '../state';
import type { Logger } from '../util/logger';
import { describeIssues } from '../calendar/calendar-issues';
import type { AppliedConfirmation, CalendarSourceStatus, Confirmer, ConfirmOutcome } from './calendar-store';

/** What the refresher reads calendars from (CalendarStore; tests pass their own). */
export interface CalendarProvider {
  refresh(): Promise<WeddingCalendar>;
  /** The merged calendar in force, without reading anything. */
  calendar(): WeddingCalendar;
  /** Applies a held update named by source and fingerprint (see CalendarStore.confirm). */
  confirm(location: string, fingerprint: string, by?: Confirmer): ConfirmOutcome;
  /** Applies held updates confirmed elsewhere (see CalendarStore.applyConfirmed). */
  applyConfirmed?(): AppliedConfirmation[];
  readonly status: Map<string, CalendarSourceStatus>;
}

export interface CalendarRefresherDeps {
  config: Pick<AgentConfig, 'calendar' | 'wedding'>;
  state: AgentState;
  provider: CalendarProvider;
  metrics: AgentMetrics;
  logger: Logger;
  /** The agent's clock (the instant each refresh is stamped with). */
  clock: () => number;
}

export class CalendarRefresher {
  private lastRefreshMs = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(private readonly deps: CalendarRefresherDeps) {}

  /** Refreshes every refreshSeconds of real time on its own timer, never inside a tick. */
  start(): void {
    this.timer = setInterval(() => void this.refresh(this.deps.clock()), this.deps.config.calendar.refreshSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Re-reads the calendar when refreshSeconds have passed since the last time (replays drive it this way). */
  async refreshIfDue(now: number): Promise<void> {
    if (now - this.lastRefreshMs < this.deps.config.calendar.refreshSeconds * 1000) return;
    await this.refresh(now);
  }

  /** One refresh at a time: a call while one is running waits for it instead of starting another. */
  refresh(now: number): Promise<void> {
    this.inFlight ??= this.load(now).finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  /**
   * An operator confirms a held update (POST /api/v1/calendar/confirm): applied and indexed at once when
   * the fingerprint names the update held now. A refresh in flight is waited for first, so the answer is
   * about the latest update read.
   */
  async confirm(location: string, fingerprint: string, by?: Confirmer): Promise<ConfirmOutcome> {
    await this.inFlight;
    const { config, state, provider, logger } = this.deps;
    const result = provider.confirm(location, fingerprint, by);
    if (result.outcome === 'applied') {
      state.calendar = indexCalendar(provider.calendar(), config.wedding);
      state.calendarSources = this.sources();
      logger.warn(
        { source: location, fingerprint, upcomingBefore: result.held.upcomingBefore, upcomingAfter: result.held.upcomingAfter },
        'held calendar update confirmed by an operator and applied',
      );
    }
    return result;
  }

  /**
   * Applies held updates an operator confirmed on the other replica (called after every durable round;
   * a refresh does the same). Each is logged: the confirmation's audit entry is the other replica's, shared
   * through the durable state, so this replica does not audit it again.
   */
  applyConfirmed(): void {
    const { config, state, provider } = this.deps;
    const applied = provider.applyConfirmed?.() ?? [];
    if (applied.length === 0) return;
    state.calendar = indexCalendar(provider.calendar(), config.wedding);
    state.calendarSources = this.sources();
    this.logApplied(applied);
  }

  private logApplied(applied: AppliedConfirmation[]): void {
    for (const a of applied)
      this.deps.logger.warn(
        {
          source: a.source,
          fingerprint: a.held.fingerprint,
          upcomingBefore: a.held.upcomingBefore,
          upcomingAfter: a.held.upcomingAfter,
          confirmedBy: a.confirmation.actor,
          confirmedAt: new Date(a.confirmation.atMs).toISOString(),
          reason: a.confirmation.reason,
        },
        'held calendar update applied: an operator confirmed it through another replica (or before this one read it)',
      );
  }

  private sources(): CalendarSourceStatus[] {
    return [...this.deps.provider.status.values()].map((s) => ({ ...s }));
  }

  private async load(now: number): Promise<void> {
    const { config, state, provider, logger, metrics } = this.deps;
    this.lastRefreshMs = now;
    let cal = await provider.refresh();
    const applied = provider.applyConfirmed?.() ?? [];
    if (applied.length > 0) cal = provider.calendar();
    // Packed calendars are indexed as they are: nothing to expand or sort here (the worker did it).
    state.calendar = indexCalendar(cal, config.wedding);
    state.calendarSources = this.sources();
    for (const s of state.calendarSources) {
      if (s.ok && s.issues.length > 0) {
        const skipped = s.issues.filter((i) => i.skipped);
        const noted = s.issues.filter((i) => !i.skipped);
        if (skipped.length)
          logger.warn(
            { source: s.location, skippedEvents: s.skippedEvents, events: describeIssues(skipped) },
            'calendar events that cannot be read were skipped; the rest of the source is in force',
          );
        if (noted.length) logger.warn({ source: s.location, notedEvents: s.notedEvents, events: describeIssues(noted) }, 'calendar events read with a note');
      }
      if (!s.ok) {
        metrics.tickErrors.inc({ stage: 'calendar' });
        logger.warn({ source: s.location, error: s.lastError }, 'calendar source failed; keeping the last good calendar');
      }
      if (s.held)
        logger.warn(
          {
            source: s.location,
            fingerprint: s.held.fingerprint,
            upcomingBefore: s.held.upcomingBefore,
            upcomingAfter: s.held.upcomingAfter,
            maxDropFraction: config.calendar.maxDropFraction,
          },
          'calendar update removes too many upcoming weddings: held, the last good calendar stays in force until an operator confirms it (POST /api/v1/calendar/confirm)',
        );
    }
    this.logApplied(applied);
  }
}
