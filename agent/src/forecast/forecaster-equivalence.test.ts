/**
 * The forecaster's caches (instant cache, per-point refit memory, no-search lookups, the wedding-free
 * path) change its cost, never its numbers: every forecast equals, to the bit, what the 0.1.0 forecaster
 * (a frozen copy in __fixtures__) says on the same inputs — regular and irregular series, gaps, a
 * tick that is off the forecast grid, readings averaged into one bucket, eviction from a full history,
 * weddings and none, with and without the replay's point memory.
 */
import { createForecaster } from './seasonal-calendar-forecaster';
import { createForecaster as createReference } from './__fixtures__/reference-seasonal-forecaster';
import type { Forecast, ForecastContext } from './forecaster';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2027, 4, 3);

/** A small deterministic generator (mulberry32), so every run sees the same series. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function demand(t: number, rnd: () => number): number {
  const hour = (((t % DAY) + DAY) % DAY) / HOUR;
  const weekend = [0, 6].includes(new Date(t).getUTCDay()) ? 40 : 0;
  const surge = rnd() < 0.002 ? 400 * rnd() : 0;
  return 120 + 60 * Math.sin((Math.PI * hour) / 12) + weekend + 15 * rnd() + surge;
}

const weddings: ForecastContext = {
  expectedWeddingLoad: (t) => (new Date(t).getUTCDay() === 6 && (t % DAY) / HOUR >= 13 && (t % DAY) / HOUR < 21 ? 75 : 0),
};
const none: ForecastContext = { expectedWeddingLoad: () => 0 };
const noneFree: ForecastContext = { expectedWeddingLoad: () => 0, weddingFree: true };

function sameBits(a: Forecast, b: Forecast, where: string): void {
  expect(`${where}: ${a.method} ${a.points.length}`).toBe(`${where}: ${b.method} ${b.points.length}`);
  a.points.forEach((p, i) => {
    const q = b.points[i];
    for (const k of ['tMs', 'value', 'lower', 'upper'] as const) {
      if (!Object.is(p[k], q[k])) throw new Error(`${where}: point ${i} ${k}: ${p[k]} ≠ reference ${q[k]}`);
    }
  });
}

interface Scenario {
  name: string;
  /** Reading interval; an origin on every reading. */
  everyMs: number;
  /** Forecast grid step and length. */
  stepMs: number;
  steps: number;
  days: number;
  ctx: ForecastContext;
  /** The same calendar for the reference (the wedding-free hint is the shipped forecaster's alone). */
  refCtx?: ForecastContext;
  gaps?: boolean;
  jitterMs?: number;
  options?: Parameters<typeof createForecaster>[0];
}

const SMALL = { capacity: 4 * 7 * 96, weeks: 3, minWeeks: 2, resolutionMs: 15 * MIN, refitEveryMs: 6 * HOUR };

const scenarios: Scenario[] = [
  { name: 'replay grid, weddings, eviction', everyMs: 15 * MIN, stepMs: 15 * MIN, steps: 6, days: 31, ctx: weddings, options: SMALL },
  { name: 'replay grid, no weddings (hint)', everyMs: 15 * MIN, stepMs: 15 * MIN, steps: 6, days: 31, ctx: noneFree, refCtx: none, options: SMALL },
  { name: 'gaps and jittered readings', everyMs: 15 * MIN, stepMs: 15 * MIN, steps: 8, days: 20, ctx: weddings, gaps: true, jitterMs: 20_000, options: SMALL },
  { name: 'agent ticks off the grid, bucketed', everyMs: 5 * MIN, stepMs: 15 * MIN, steps: 12, days: 16, ctx: weddings, jitterMs: 7_000, options: SMALL },
  { name: 'defaults, one reading a minute', everyMs: MIN, stepMs: MIN, steps: 5, days: 3, ctx: weddings },
];
// The replay's point memory: the same numbers again, on every scenario.
scenarios.push(...scenarios.map((s) => ({ ...s, name: `${s.name}, point memory`, options: { ...s.options, pointMemory: true } })));

describe('the forecaster equals the 0.1.0 forecaster to the bit', () => {
  test.each(scenarios)('$name', (s) => {
    const rnd = random(7);
    const shipped = createForecaster(s.options);
    const { pointMemory: _memory, ...referenceOptions } = s.options ?? {};
    const reference = createReference(referenceOptions);
    let forecasts = 0;
    for (let t = T0; t < T0 + s.days * DAY; t += s.everyMs) {
      if (s.gaps && rnd() < 0.05) continue;
      const at = t + (s.jitterMs ? Math.round((rnd() - 0.5) * s.jitterMs) : 0);
      const v = demand(at, rnd) + 1.4 * weddings.expectedWeddingLoad(at);
      shipped.observe(at, v);
      reference.observe(at, v);
      // Most origins: the next tick; some also ask from a later instant (a horizon read by the capacity plan).
      sameBits(
        shipped.forecast(at, s.stepMs, s.steps, s.ctx),
        reference.forecast(at, s.stepMs, s.steps, s.refCtx ?? s.ctx),
        `${s.name} @${new Date(at).toISOString()}`,
      );
      forecasts++;
    }
    expect(forecasts).toBeGreaterThan(1000);
  });
});
