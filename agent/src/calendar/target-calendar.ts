/**
 * What the calendar says about one target at one instant, asked once per tick. The planner, /metrics,
 * GET /status and the paging conditions all read this answer instead of asking the calendar again, so
 * they can never disagree about which weddings are live.
 */
import { deployFreezeOf, freezeChainEnd, type DeployFreeze } from './deploy-freeze';
import { expectedWeddingLoad, isPeakSeason, liveWeddings, onProtectedDays, weddingLoad, type CalendarIndex, type LiveWedding } from './rules';
import { LiveCursor, type LiveAnswer } from './live-cursor';

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

/**
 * One target's calendar answers, tick after tick: the same answers as targetCalendar, without asking the
 * calendar again while nothing in it changed (live-cursor.ts). While the same weddings are live in the
 * same phases and the season is the same, the answer is the previous tick's object itself (callers never
 * change an answer). A new calendar index (a refresh) starts afresh.
 */
export class TargetCalendars {
  private now: LiveCursor | null = null;
  /** A second cursor for expectedLoadAt: the planner's look-ahead scan, away from `now`. */
  private ahead: LiveCursor | null = null;
  private last: { answer: LiveAnswer; calendar: TargetCalendar } | null = null;
  /** The last freeze chain worked out (freezeChainEnd): the live weddings change far more often than where a freeze ends. */
  private chain: { fromMs: number; endMs: number } | null = null;
  private chainEnd: (untilMs: number) => number = () => NaN;

  constructor(private readonly scope: CalendarScope) {}

  at(index: CalendarIndex, nowMs: number): TargetCalendar {
    const { scope } = this;
    if (this.now === null || this.now.index !== index) {
      this.now = new LiveCursor(index, scope.timezones);
      this.ahead = new LiveCursor(index, scope.timezones);
      this.last = null;
      this.chain = null;
      this.chainEnd = (untilMs) => {
        if (this.chain?.fromMs !== untilMs) this.chain = { fromMs: untilMs, endMs: freezeChainEnd(index, untilMs, scope.timezones) };
        return this.chain.endMs;
      };
    }
    const answer = this.now.at(nowMs);
    const peakSeason = isPeakSeason(nowMs, index.rules, scope.region);
    if (this.last !== null && this.last.answer === answer && this.last.calendar.peakSeason === peakSeason) return this.last.calendar;
    const protecting = onProtectedDays(index, answer.live);
    const ahead = this.ahead!;
    const calendar: TargetCalendar = {
      live: answer.live,
      protecting,
      freeze: deployFreezeOf(index, protecting, scope.timezones, this.chainEnd),
      expectedLoad: answer.load,
      peakSeason,
      expectedLoadAt: (tMs) => ahead.at(tMs).load,
    };
    this.last = { answer, calendar };
    return calendar;
  }
}
