/** Load prediction: one forecaster per target, fed observations in time order. */

export interface ForecastPoint {
  tMs: number;
  value: number;
  lower: number;
  upper: number;
}

export interface Forecast {
  points: ForecastPoint[];
  /** Which model produced it, e.g. "seasonal+calendar" or "calendar-prior" on a cold start. */
  method: string;
  /** True while the forecaster has too little history and leans on the calendar prior alone. */
  coldStart: boolean;
}

/** Calendar knowledge for the forecast horizon (pure functions of the instant). */
export interface ForecastContext {
  expectedWeddingLoad(tMs: number): number;
  /**
   * True when the calendar holds no wedding this target serves: expectedWeddingLoad is 0 at every
   * instant, and a forecaster may skip asking (the answer is the same).
   */
  weddingFree?: boolean;
}

export interface Forecaster {
  observe(tMs: number, value: number): void;
  /** `steps` points at `fromMs + k·stepMs`, k = 1…steps. */
  forecast(fromMs: number, stepMs: number, steps: number, ctx: ForecastContext): Forecast;
}

export type ForecasterFactory = () => Forecaster;
