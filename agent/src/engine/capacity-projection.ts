/**
 * The load a target's forecaster expects on a grid, for the capacity plan: any horizon, with the
 * calendar's expected wedding load. The forecast's origin is `now`, so it sees exactly the history a tick
 * now would; a grid instant between two forecast points takes the higher (peaks are not missed). Reading it
 * changes no history (the forecaster may refit its calendar weight, as a tick would).
 */
import type { Forecaster } from '../forecast/forecaster';

export interface Projection {
  values: Array<number | null>;
  method: string;
}

/** The expected load at start + k·stepMs (k = 0 … n−1). Throws what the forecaster throws. */
export function projectLoad(
  forecaster: Forecaster,
  expectedWeddingLoad: (tMs: number) => number,
  now: number,
  start: number,
  stepMs: number,
  n: number,
): Projection {
  if (n <= 0) return { values: [], method: 'none' };
  const span = Math.ceil((start + (n - 1) * stepMs - now) / stepMs) + 1;
  const f = forecaster.forecast(now, stepMs, Math.max(1, span), { expectedWeddingLoad });
  // Point i is at now + (i + 1)·stepMs.
  const at = (i: number) => f.points[Math.min(Math.max(i, 0), f.points.length - 1)]?.value ?? null;
  const values = Array.from({ length: n }, (_, k) => {
    const x = (start + k * stepMs - now) / stepMs - 1;
    const lo = at(Math.floor(x));
    const hi = at(Math.ceil(x));
    return lo === null || hi === null ? null : Math.max(lo, hi);
  });
  return { values, method: f.method };
}
