/**
 * The load a target is expected to carry over a future window, at a regular step, with the calendar's
 * answers at each instant (weddings live, peak season) — what capacity-plan.ts sizes pods from.
 *
 * The agent projects with the target's own forecaster (seasonal profile × level + the calendar's expected
 * wedding load, any horizon). Without one (a bare state), the stored forecast covers what it reaches
 * and beyond it the calendar's expected wedding load stands on the load seen now minus the wedding load
 * live now — said so in `method`.
 */
import { targetCalendar } from '../calendar/target-calendar';
import type { CalendarIndex } from '../calendar/rules';
import type { TargetState } from '../state';
import type { DemandPoint } from './capacity-plan';

/** Values at fromMs + k·stepMs for k = 0 … n−1 (null where nothing is known), and how they were made. */
export type LoadProjector = (target: TargetState, nowMs: number, fromMs: number, stepMs: number, n: number) => { values: Array<number | null>; method: string };

export function gridOf(fromMs: number, toMs: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = fromMs; t < toMs; t += stepMs) out.push(t);
  return out;
}

/** The state alone: the stored forecast, then the calendar on today's non-wedding baseline. */
export const stateProjector =
  (calendar: () => CalendarIndex): LoadProjector =>
  (t, nowMs, fromMs, stepMs, n) => {
    const pts = t.forecast?.points ?? [];
    const cal = targetCalendar(calendar(), t.config, nowMs);
    const baseline = t.observed ? Math.max(0, t.observed.value - cal.expectedLoad) : null;
    let beyond = false;
    const values = gridOf(fromMs, fromMs + n * stepMs, stepMs).map((tMs) => {
      const last = pts[pts.length - 1];
      if (last && tMs <= last.tMs) return (pts.find((p) => p.tMs >= tMs) ?? last).value;
      beyond = true;
      return baseline === null ? null : baseline + cal.expectedLoadAt(tMs);
    });
    return { values, method: beyond ? 'forecast, then calendar on the current baseline' : (t.forecast?.method ?? 'none') };
  };

export function demandPoints(
  calendar: CalendarIndex,
  t: TargetState,
  fromMs: number,
  stepMs: number,
  values: Array<number | null>,
): { points: DemandPoint[]; missing: number } {
  const points: DemandPoint[] = [];
  let missing = 0;
  values.forEach((v, k) => {
    const tMs = fromMs + k * stepMs;
    if (v === null || !Number.isFinite(v)) return void missing++;
    const cal = targetCalendar(calendar, t.config, tMs);
    points.push({ tMs, value: v, weddingsLive: cal.live.length, peakSeason: cal.peakSeason });
  });
  return { points, missing };
}
