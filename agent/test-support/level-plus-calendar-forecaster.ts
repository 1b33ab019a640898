/**
 * The simplest honest forecaster: the recent level (a short exponential average) plus the change in
 * expected wedding load between now and the forecast instant. Bounds widen with the recent spread.
 */
import type { Forecast, ForecastContext, Forecaster } from '../src/forecast/forecaster';

export class LevelPlusCalendarForecaster implements Forecaster {
  private level: number | null = null;
  private spread = 0;
  private lastT = 0;

  constructor(private readonly alpha = 0.3) {}

  observe(tMs: number, value: number): void {
    this.lastT = tMs;
    if (this.level === null) {
      this.level = value;
      return;
    }
    this.spread = 0.9 * this.spread + 0.1 * Math.abs(value - this.level);
    this.level += this.alpha * (value - this.level);
  }

  forecast(fromMs: number, stepMs: number, steps: number, ctx: ForecastContext): Forecast {
    const coldStart = this.level === null;
    const nowWedding = ctx.expectedWeddingLoad(fromMs);
    const base = (this.level ?? 0) - (coldStart ? 0 : nowWedding);
    const points = [];
    for (let k = 1; k <= steps; k++) {
      const t = fromMs + k * stepMs;
      const value = Math.max(0, base + ctx.expectedWeddingLoad(t));
      const band = 2 * this.spread + 0.1 * value;
      points.push({ tMs: t, value, lower: Math.max(0, value - band), upper: value + band });
    }
    return { points, method: coldStart ? 'calendar-prior' : 'level+calendar', coldStart };
  }
}
