/**
 * The deploy freeze of one target at one instant: frozen while weddings it serves are live on a
 * protected weekday (the same weddings Saturday protection holds capacity for). Computed once per tick,
 * inside the target's calendar answer; the planner, `wedsync_agent_deploy_freeze`, GET /deploy-freeze,
 * the admission ConfigMap and the panel all read it from the stored view. No I/O, no clock.
 */
import { daysOverlapping, type CalendarIndex, type LiveWedding } from './rules';

export interface DeployFreeze {
  frozen: boolean;
  /** Earliest window start among the protecting weddings (null when not frozen). */
  sinceMs: number | null;
  /**
   * When deploying is allowed again: the end of the protecting windows, chained through any protected
   * window that starts before the previous one ends (so a gate never opens for zero minutes). Null when
   * not frozen.
   */
  untilMs: number | null;
  /** The live weddings that freeze deploys. */
  weddings: LiveWedding[];
}

export const NOT_FROZEN: DeployFreeze = { frozen: false, sinceMs: null, untilMs: null, weddings: [] };

/** Chains of protected windows longer than this many links are cut (a malformed calendar cannot loop us). */
const MAX_CHAIN = 1000;

export function deployFreezeOf(
  index: CalendarIndex,
  protecting: readonly LiveWedding[],
  timezones: readonly string[],
  chainEnd: (untilMs: number) => number = (untilMs) => freezeChainEnd(index, untilMs, timezones),
): DeployFreeze {
  if (!protecting.length) return NOT_FROZEN;
  const until = chainEnd(Math.max(...protecting.map((l) => l.day.windowEndMs)));
  return { frozen: true, sinceMs: Math.min(...protecting.map((l) => l.day.windowStartMs)), untilMs: until, weddings: [...protecting] };
}

/**
 * Where a freeze ending at `untilMs` really ends: chained through every protected window (in these zones)
 * that starts before the previous one ends. A function of (index, untilMs, zones) alone, so a caller
 * asking tick after tick may remember it (calendar/target-calendar.ts).
 */
export function freezeChainEnd(index: CalendarIndex, untilMs: number, timezones: readonly string[]): number {
  let until = untilMs;
  for (let i = 0; i < MAX_CHAIN; i++) {
    const next = daysOverlapping(index, until, until + 1)
      .filter((d) => (!timezones.length || timezones.includes(d.wedding.timezone)) && index.rules.protectedWeekdays.includes(d.localWeekday))
      .reduce((m, d) => Math.max(m, d.windowEndMs), until);
    if (next <= until) break;
    until = next;
  }
  return until;
}
