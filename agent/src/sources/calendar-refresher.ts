/**
 * Keeps the state's calendar current: every refreshSeconds it asks the calendar store for the merged
 * calendar, indexes it once (all time-zone work happens here) and records each source's health.
 */
import type { AgentConfig } from '../config/schema';
import { indexCalendar } from '../calendar/rules';
import type { WeddingCalendar } from '../calendar/model';
import type { AgentMetrics } from '../metrics/agent-metrics';
import type { AgentState } from '../state';
import type { Logger } from '../util/logger';
import type { CalendarSourceStatus } from './calendar-store';

/** What the refresher reads calendars from (CalendarStore; tests pass their own). */
export interface CalendarProvider {
  refresh(): Promise<WeddingCalendar>;
  readonly status: Map<string, CalendarSourceStatus>;
}

export interface CalendarRefresherDeps {
  config: Pick<AgentConfig, 'calendar' | 'wedding'>;
  state: AgentState;
  provider: CalendarProvider;
  metrics: AgentMetrics;
  logger: Logger;
}

export class CalendarRefresher {
  private lastRefreshMs = -Infinity;

  constructor(private readonly deps: CalendarRefresherDeps) {}

  /** Re-reads the calendar when refreshSeconds have passed since the last time. */
  async refreshIfDue(now: number): Promise<void> {
    const { config, state, provider, logger, metrics } = this.deps;
    if (now - this.lastRefreshMs < config.calendar.refreshSeconds * 1000) return;
    this.lastRefreshMs = now;
    const cal = await provider.refresh();
    state.calendar = indexCalendar(cal, config.wedding);
    state.calendarSources = [...provider.status.values()];
    for (const s of state.calendarSources) {
      if (!s.ok) {
        metrics.tickErrors.inc({ stage: 'calendar' });
        logger.warn({ source: s.location, error: s.lastError }, 'calendar source failed; keeping the last good calendar');
      }
    }
  }
}
