/**
 * A forecaster wrapper for replays: the wrapped forecaster asks the calendar about the same past and
 * future instants over and over (its weekly profile and wedding fit re-read weeks of history every
 * simulated minute). A replay's calendar never changes, so each answer is computed once. Decisions are
 * unchanged; a two-month replay gets several times faster.
 */
import type { Forecast, ForecastContext, Forecaster } from '../forecast/forecaster';

export class CalendarMemoForecaster implements Forecaster {
  private readonly wedding = new Map<number, number>();

  constructor(private readonly inner: Forecaster, private readonly maxEntries = 400_000) {}

  observe(tMs: number, value: number): void {
    this.inner.observe(tMs, value);
  }

  forecast(fromMs: number, stepMs: number, steps: number, ctx: ForecastContext): Forecast {
    if (this.wedding.size > this.maxEntries) this.wedding.clear();
    const memo: ForecastContext = {
      expectedWeddingLoad: (t) => {
        let v = this.wedding.get(t);
        if (v === undefined) this.wedding.set(t, (v = ctx.expectedWeddingLoad(t)));
        return v;
      },
    };
    return this.inner.forecast(fromMs, stepMs, steps, memo);
  }
}
