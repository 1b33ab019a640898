/**
 * The forecaster's boundary: a forecast with a point that is not a finite number (Infinity from an
 * overflow, NaN from 0/0) is no forecast. The pipeline then plans without one (reactive and calendar
 * rules, never a scale-down on missing data) and counts a forecast error, instead of planning for an
 * Infinity peak. The forecaster's internals are not touched: this checks only what comes out.
 */
import type { Forecast } from './forecaster';

/** The forecast when every point is finite, else a reason it was refused. */
export function checkFinite(f: Forecast): { forecast: Forecast } | { error: string } {
  for (const p of f.points)
    if (!Number.isFinite(p.value) || !Number.isFinite(p.lower) || !Number.isFinite(p.upper))
      return {
        error: `forecast (${f.method}) has a point that is not a finite number at ${new Date(p.tMs).toISOString()}: value ${p.value}, band ${p.lower}–${p.upper}`,
      };
  return { forecast: f };
}
