/**
 * Expected wedding load on a fixed minute grid, computed once per wedding day over the minutes its window
 * covers: a replay asks the same question about the same minutes hundreds of times (the forecaster's
 * profile and level, the planner's announced steps), and the answer never changes while a trace plays.
 *
 * Exact: each grid minute holds what `expectedWeddingLoad(index, t, timezones)` returns there (the days
 * are added in the index's order, as `weddingLoad` adds them, and each minute's phase is `phaseAt`'s).
 * An instant off the grid or outside it is asked of the index itself. With no wedding day for the
 * target's zones the table holds nothing and every answer is 0 (`weddingFree`).
 */
import { expectedWeddingLoad, type CalendarIndex } from './rules';
import { PHASES } from './model';

const HOUR_MS = 3_600_000;

/** The table's numbers, to be read elsewhere (a forecasting worker: replay/forecast-ahead.ts) with `gridValueAt`. */
export interface WeddingLoadGrid {
  weddingFree: boolean;
  startMs: number;
  stepMs: number;
  endMs: number;
  values: Float64Array;
}

/** The expected wedding load at `tMs` when the grid holds it (on a grid minute, inside it); else undefined. */
export function gridValueAt(grid: WeddingLoadGrid, tMs: number): number | undefined {
  if (grid.weddingFree) return 0;
  const k = (tMs - grid.startMs) / grid.stepMs;
  return tMs >= grid.startMs && tMs < grid.endMs && k === Math.floor(k) ? grid.values[k] : undefined;
}

export class WeddingLoadTable {
  /** True when no wedding day falls in the target's zones: the expected load is 0 everywhere. */
  readonly weddingFree: boolean;
  readonly values: Float64Array;
  readonly endMs: number;

  constructor(
    private readonly index: CalendarIndex,
    private readonly timezones: readonly string[],
    readonly startMs: number,
    readonly stepMs: number,
    steps: number,
  ) {
    this.weddingFree = !index.hasWeddings(timezones);
    this.endMs = startMs + steps * stepMs;
    const days = this.weddingFree ? [] : index.overlapping(startMs, this.endMs, timezones);
    this.values = new Float64Array(this.weddingFree ? 0 : steps);
    // phaseAt, unrolled over the phases' bounds (the same tests in the same order): a replay's table asks
    // it for every minute of every wedding day.
    const { phases, phaseFactors } = index.rules;
    const lower = PHASES.map((p) => phases[p][0]);
    const upper = PHASES.map((p) => phases[p][1]);
    const factors = PHASES.map((p) => phaseFactors[p]);
    for (const day of days) {
      const from = Math.max(0, Math.ceil((day.windowStartMs - startMs) / stepMs));
      const to = Math.min(steps, Math.ceil((day.windowEndMs - startMs) / stepMs));
      for (let k = from; k < to; k++) {
        const h = (startMs + k * stepMs - day.ceremonyStartMs) / HOUR_MS;
        for (let p = 0; p < lower.length; p++)
          if (h >= lower[p] && h < upper[p]) {
            this.values[k] += day.loadAtFactorOne * factors[p];
            break;
          }
      }
    }
  }

  /** The expected wedding load at `tMs` (the index's own answer off the grid). */
  readonly at = (tMs: number): number => gridValueAt(this, tMs) ?? expectedWeddingLoad(this.index, tMs, this.timezones);

  /** The grid's numbers (shared, not copied). */
  grid(): WeddingLoadGrid {
    return { weddingFree: this.weddingFree, startMs: this.startMs, stepMs: this.stepMs, endMs: this.endMs, values: this.values };
  }
}
