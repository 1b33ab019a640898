/**
 * A forecaster wrapper for replays: the wrapped forecaster asks the calendar about the same past and
 * future instants over and over (its weekly profile, level and refit read weeks of history). A replay's
 * calendar never changes while it plays, so the answers come from a table computed once per wedding day
 * (calendar/wedding-load-table.ts), and a calendar without weddings for the target is not asked at all.
 * Decisions are unchanged. Until `useTable` is called the calendar is asked as the loop asks it.
 */
import type { Forecast, ForecastContext, Forecaster } from '../forecast/forecaster';
import type { WeddingLoadTable } from '../calendar/wedding-load-table';

export class CalendarMemoForecaster implements Forecaster {
  private ctx: ForecastContext | null = null;

  constructor(private readonly inner: Forecaster) {}

  /** From now on, every calendar question is answered by `table`. */
  useTable(table: WeddingLoadTable): void {
    this.ctx = { expectedWeddingLoad: table.at, weddingFree: table.weddingFree };
  }

  /** The calendar forecasts are asked with once `useTable` was called. */
  get context(): ForecastContext | null {
    return this.ctx;
  }

  observe(tMs: number, value: number): void {
    this.inner.observe(tMs, value);
  }

  forecast(fromMs: number, stepMs: number, steps: number, ctx: ForecastContext): Forecast {
    return this.inner.forecast(fromMs, stepMs, steps, this.ctx ?? ctx);
  }
}
