/**
 * What the calendar says about one target at one instant, asked once per tick. The planner, /metrics,
 * GET /status and the paging conditions all read this answer instead of asking the calendar again, so
 * they can never disagree about which weddings are live.
 */
import { deployFreezeOf, type DeployFreeze } from './deploy-freeze';
import { expectedWeddingLoad, isPeakSeason, liveWeddings, onProtectedDays, weddingLoad, type CalendarIndex, type LiveWedding } from './rules';

export interface TargetCalendar {
  /** Weddings live now in the time zones the target serves. */
  live: LiveWedding[];
  /** Those of them on a protected weekday in their own zone: Saturday protection and the deploy freeze. */
  protecting: LiveWedding[];
  /** The deploy freeze those weddings impose (frozen, since, until, which weddings). */
  freeze: DeployFreeze;
  /** Load the live weddings are expected to add now (the detector's and forecaster's context). */
  expectedLoad: number;
  peakSeason: boolean;
  /** Expected wedding load at any instant, for this target's zones (the forecast horizon, announced steps). */
  expectedLoadAt: (tMs: number) => number;
}

/** The part of a target's config the calendar answers depend on. */
export interface CalendarScope {
  timezones: readonly string[];
  region: string;
}

export function targetCalendar(index: CalendarIndex, scope: CalendarScope, nowMs: number): TargetCalendar {
  const live = liveWeddings(index, nowMs, scope.timezones);
  const expectedLoad = weddingLoad(index, live);
  const protecting = onProtectedDays(index, live);
  return {
    live,
    protecting,
    freeze: deployFreezeOf(index, protecting, scope.timezones),
    expectedLoad,
    peakSeason: isPeakSeason(nowMs, index.rules, scope.region),
    expectedLoadAt: (tMs) => (tMs === nowMs ? expectedLoad : expectedWeddingLoad(index, tMs, scope.timezones)),
  };
}
