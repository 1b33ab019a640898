import { createForecaster } from './seasonal-calendar-forecaster';
import type { ForecastContext } from './forecaster';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STEP = 15 * 60_000;
const T0 = Date.UTC(2027, 3, 5); // a Monday

/** Daily and weekly rhythm: busier evenings, busier weekends. */
function ordinary(t: number): number {
  const hour = (t % DAY) / HOUR;
  const weekday = new Date(t).getUTCDay();
  return 100 + 40 * Math.max(0, Math.sin((Math.PI * (hour - 6)) / 16)) + (weekday === 0 || weekday === 6 ? 30 : 0);
}

/** Saturday weddings 14:00–20:00 UTC, 60 units of expected load each. */
const weddings: ForecastContext = {
  expectedWeddingLoad: (t) => (new Date(t).getUTCDay() === 6 && (t % DAY) / HOUR >= 14 && (t % DAY) / HOUR < 20 ? 60 : 0),
};

describe('SeasonalCalendarForecaster', () => {
  it('cold start: the calendar prior alone, and it says so', () => {
    const f = createForecaster().forecast(T0, STEP, (7 * DAY) / STEP, weddings);
    expect(f.coldStart).toBe(true);
    expect(f.method).toMatch(/calendar-prior/);
    const saturday = T0 + 5 * DAY + 15 * HOUR;
    expect(f.points.find((p) => p.tMs === saturday)!.value).toBe(60);
  });

  it('forecasts 48 h with bounds around the seasonal profile', () => {
    const f = createForecaster();
    for (let t = T0; t < T0 + 28 * DAY; t += STEP) f.observe(t, ordinary(t));
    const from = T0 + 28 * DAY - STEP;
    const out = f.forecast(from, STEP, (48 * HOUR) / STEP, { expectedWeddingLoad: () => 0 });
    expect(out.coldStart).toBe(false);
    expect(out.points).toHaveLength(192);
    expect(out.points[191].tMs - from).toBe(48 * HOUR);
    for (const p of out.points) {
      expect(Math.abs(p.value - ordinary(p.tMs)) / ordinary(p.tMs)).toBeLessThan(0.02);
      expect(p.lower).toBeLessThanOrEqual(p.value);
      expect(p.upper).toBeGreaterThanOrEqual(p.value);
    }
  });

  it('fits the wedding excess from history and adds it where the calendar expects weddings', () => {
    const f = createForecaster();
    // History where each unit of expected load really brought 1.5 units of requests.
    for (let t = T0; t < T0 + 33 * DAY; t += STEP) f.observe(t, ordinary(t) + 1.5 * weddings.expectedWeddingLoad(t));
    const from = T0 + 33 * DAY - STEP; // just before Saturday 00:00
    const out = f.forecast(from, STEP, (48 * HOUR) / STEP, weddings);
    const at = out.points.find((p) => p.tMs === T0 + 33 * DAY + 16 * HOUR)!; // Saturday 16:00
    expect(weddings.expectedWeddingLoad(at.tMs)).toBe(60);
    expect(at.value).toBeGreaterThan(ordinary(at.tMs) + 80);
    expect(at.value).toBeLessThan(ordinary(at.tMs) + 100);
    expect(out.method).toMatch(/calendar/);
  });

  it('averages readings of one tick (15 s) into one-minute points, so weeks of history fit and the weekly profile is used', () => {
    const f = createForecaster();
    for (let t = T0; t < T0 + 28 * DAY; t += 15_000) f.observe(t, ordinary(t) + (((t / 15_000) % 4) - 1.5));
    const out = f.forecast(T0 + 28 * DAY - 15_000, 60_000, 60, { expectedWeddingLoad: () => 0 });
    expect(out.method).toMatch(/^weekly-median/);
    for (const p of out.points) expect(Math.abs(p.value - ordinary(p.tMs))).toBeLessThan(2);
  });

  it('uses no future rows: observations after the origin do not change the forecast', () => {
    const ctx: ForecastContext = { expectedWeddingLoad: () => 0 };
    const origin = T0 + 22 * DAY;
    const a = createForecaster();
    const b = createForecaster();
    for (let t = T0; t < origin; t += STEP) {
      a.observe(t, ordinary(t));
      b.observe(t, ordinary(t));
    }
    const before = a.forecast(origin - STEP, STEP, 96, ctx);
    // b sees 8 more hours of wildly different load, but is asked for the same origin.
    for (let t = origin; t < origin + 8 * HOUR; t += STEP) b.observe(t, 10_000);
    expect(b.forecast(origin - STEP, STEP, 96, ctx).points.map((p) => p.value)).toEqual(before.points.map((p) => p.value));
  });

  it("keeps its profile cache to one call's worth when the caller's grid shifts every call (the agent's 15 s ticks on a 60 s step)", () => {
    const f = createForecaster();
    for (let t = T0; t < T0 + 2 * DAY; t += 60_000) f.observe(t, ordinary(t));
    const steps = (48 * HOUR) / 60_000;
    let largest = 0;
    for (let tick = 0; tick < 40; tick++) {
      const now = T0 + 2 * DAY + tick * 15_000 + 7; // a tick's own instant: never on the step grid
      f.forecast(now, 60_000, steps, { expectedWeddingLoad: () => 0 });
      largest = Math.max(largest, f['profileCache'].size);
    }
    expect(largest).toBeGreaterThan(1000); // it does cache within a call
    expect(largest).toBeLessThanOrEqual(steps + 500); // one call's horizon and level window, not every tick's
  });

  it('a step-aligned caller (replay, backtest) keeps its cache from one call to the next', () => {
    const f = createForecaster();
    for (let t = T0; t < T0 + 2 * DAY; t += 60_000) f.observe(t, ordinary(t));
    const from = T0 + 2 * DAY;
    f.forecast(from, 60_000, 2880, { expectedWeddingLoad: () => 0 });
    const before = f['profileCache'].size;
    f.forecast(from + 60_000, 60_000, 2880, { expectedWeddingLoad: () => 0 });
    expect(f['profileCache'].size).toBeGreaterThan(before); // kept, and grew by the new points only
    expect(f['profileCache'].size - before).toBeLessThan(1000);
  });
});
