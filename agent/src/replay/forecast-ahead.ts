/**
 * Forecasting ahead of the replay, on a second thread.
 *
 * A replay knows every call its forecaster will get before the first tick: at step k the agent observes
 * the latest demand it was shown (a push source's last sample) and then asks for a forecast from that step's instant,
 * with the same step and horizon every time, against the trace's fixed calendar. So a worker thread
 * (forecast-ahead-worker.ts) plays those calls on its own forecaster — the same code with the same options
 * — while the replay's thread runs the rest of the agent, and hands each forecast over through shared
 * memory (forecast-ahead-ring.ts). Two cores then share a replay's work.
 *
 * The plan is checked, never trusted: every call the agent really makes is compared with the planned one.
 * At the first that differs (a reading the agent did not observe, another horizon, a calendar question the
 * worker cannot answer from the table), the replay leaves the plan: it builds its own forecaster, plays it
 * every call served so far (the forecaster is deterministic, so it reaches the same state) and from then on
 * asks it directly. The forecasts are the same either way; only the time they take differs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Forecast, ForecastContext, Forecaster } from '../forecast/forecaster';
import { createForecaster, type SeasonalForecasterOptions } from '../forecast/seasonal-calendar-forecaster';
import { gridValueAt, type WeddingLoadGrid } from '../calendar/wedding-load-table';
import {
  ABANDONED,
  CONSUMED,
  createRing,
  openRing,
  PRODUCED,
  readForecast,
  writeForecast,
  type Ring,
  type RingBuffers,
  type RingLayout,
} from './forecast-ahead-ring';

const WORKER = join(__dirname, 'forecast-ahead-worker.js');
/** Forecasts the worker may be ahead of the replay (bounded shared memory). */
const RING_SLOTS = 2048;
/** How long the replay waits without the worker delivering anything before it works the forecasts out itself. */
const WORKER_PATIENCE_MS = 10_000;

/** Whether a compiled worker exists (not when this module runs from TypeScript sources, under ts-jest). */
export const forecastsAheadAvailable = (): boolean => existsSync(WORKER);

/** The forecaster calls a replay will make, step by step. */
export interface ForecastPlan {
  startMs: number;
  stepMs: number;
  /** What the agent observes at each step (NaN: nothing). */
  observed: Float64Array;
  /** The step and number of points of every forecast the agent asks for. */
  forecastStepMs: number;
  forecastPoints: number;
  /** The forecaster's options (the same on both threads). */
  options: Partial<SeasonalForecasterOptions>;
  /** The trace's expected wedding load (calendar/wedding-load-table.ts). */
  grid: WeddingLoadGrid;
}

/** Thrown by the worker's calendar for an instant the table does not hold: the plan is left there. */
class OffTheTable extends Error {}

/** The calendar the worker's forecaster is given: the table's answers, none other. */
export function gridContext(grid: WeddingLoadGrid): ForecastContext {
  return {
    expectedWeddingLoad: (tMs) => {
      const v = gridValueAt(grid, tMs);
      if (v === undefined) throw new OffTheTable(`no expected wedding load for ${tMs} in the table`);
      return v;
    },
    weddingFree: grid.weddingFree,
  };
}

/**
 * The worker's side: plays the plan, writing each forecast into the ring, at most `slots` ahead of what
 * the replay has read. Stops at the end of the plan, or at the first forecast it cannot work out.
 */
export function produceForecasts(plan: ForecastPlan, ring: Ring): void {
  const forecaster = createForecaster(plan.options);
  const ctx = gridContext(plan.grid);
  const { header } = ring;
  for (let i = 0; i < plan.observed.length; i++) {
    for (let consumed = Atomics.load(header, CONSUMED); i - consumed >= ring.layout.slots; consumed = Atomics.load(header, CONSUMED)) {
      Atomics.wait(header, CONSUMED, consumed, 1000);
    }
    const t = plan.startMs + i * plan.stepMs;
    let written = false;
    try {
      const v = plan.observed[i];
      if (v === v) forecaster.observe(t, v);
      written = writeForecast(ring, i, forecaster.forecast(t, plan.forecastStepMs, plan.forecastPoints, ctx));
    } catch {
      written = false; // a calendar question off the table, or a failing forecast: the replay works it out itself
    }
    if (!written) {
      Atomics.store(header, ABANDONED, i);
      Atomics.notify(header, PRODUCED);
      return;
    }
    Atomics.store(header, PRODUCED, i + 1);
    Atomics.notify(header, PRODUCED);
  }
}

/** The replay's side: a Forecaster that serves the planned calls from the worker, and leaves the plan at the first other. */
export class ForecastAhead implements Forecaster {
  private plan: ForecastPlan;
  private readonly ring: Ring;
  private readonly buffers: RingBuffers;
  private worker: ForecastWorker | null = null;
  /** The context every planned forecast is asked with (the replay's table), once the replay says so. */
  private context: ForecastContext | null = null;
  /** The replay's own forecaster, once the plan is left. */
  private own: Forecaster | null = null;
  /** The step whose calls come next, and whether its observation was served. */
  private step = 0;
  private observed = false;
  /** Forecasts served from the worker before the plan was left. */
  private servedAhead = 0;
  private lastMethod = '';
  private readonly patienceMs: number;

  constructor(
    plan: Omit<ForecastPlan, 'grid'>,
    startWorker: StartForecastWorker = startForecastWorker,
    { ringSlots = RING_SLOTS, patienceMs = WORKER_PATIENCE_MS }: { ringSlots?: number; patienceMs?: number } = {},
  ) {
    this.patienceMs = patienceMs;
    this.plan = { ...plan, grid: { weddingFree: true, startMs: 0, stepMs: 1, endMs: 0, values: new Float64Array(0) } };
    const layout = { slots: ringSlots, points: plan.forecastPoints };
    this.buffers = createRing(layout);
    this.ring = openRing(this.buffers, layout);
    // Started now, so it loads while the replay reads its calendar; it forecasts once `begin` sends the table.
    this.worker = startWorker(plan, this.buffers, layout);
  }

  /**
   * The replay is ready: its forecasts will be asked with `context`, which answers as `grid` does (the
   * replay's wedding-load table). The worker starts forecasting.
   */
  begin(context: ForecastContext, grid: WeddingLoadGrid): void {
    if (this.context) return;
    this.context = context;
    this.plan = { ...this.plan, grid };
    this.worker?.begin(grid);
  }

  /** Forecasts served from the worker (every step when the plan held to the end). */
  get stepsForecastAhead(): number {
    return this.own ? this.servedAhead : this.step;
  }

  observe(tMs: number, value: number): void {
    if (this.own) return this.own.observe(tMs, value);
    const k = this.step;
    if (!this.observed && k < this.plan.observed.length && value === this.plan.observed[k] && tMs === this.timeOf(k)) {
      this.observed = true;
      return;
    }
    this.leavePlan().observe(tMs, value);
  }

  forecast(fromMs: number, stepMs: number, steps: number, ctx: ForecastContext): Forecast {
    if (this.own) return this.own.forecast(fromMs, stepMs, steps, ctx);
    const k = this.step;
    const planned =
      ctx === this.context &&
      k < this.plan.observed.length &&
      (this.observed || this.plan.observed[k] !== this.plan.observed[k]) &&
      fromMs === this.timeOf(k) &&
      stepMs === this.plan.forecastStepMs &&
      steps === this.plan.forecastPoints;
    if (!planned || !this.awaitForecast(k)) return this.leavePlan().forecast(fromMs, stepMs, steps, ctx);
    const forecast = readForecast(this.ring, k, fromMs, stepMs, this.lastMethod);
    this.lastMethod = forecast.method;
    this.step = k + 1;
    this.observed = false;
    Atomics.store(this.ring.header, CONSUMED, k + 1);
    Atomics.notify(this.ring.header, CONSUMED);
    return forecast;
  }

  /** Stops the worker (the end of the replay). */
  close(): void {
    void this.worker?.thread.terminate();
    this.worker = null;
  }

  private timeOf(k: number): number {
    return this.plan.startMs + k * this.plan.stepMs;
  }

  /** Waits until forecast k is in the ring; false when the worker will not deliver it. */
  private awaitForecast(k: number): boolean {
    if (!this.worker) return false;
    const header = this.ring.header;
    // A worker that died cannot say so while this thread waits (its 'exit' event needs the event loop):
    // no progress for patienceMs is taken as that.
    let deadline = Date.now() + this.patienceMs;
    let seen = -1;
    for (let produced = Atomics.load(header, PRODUCED); produced <= k; produced = Atomics.load(header, PRODUCED)) {
      const abandoned = Atomics.load(header, ABANDONED);
      if (abandoned >= 0 && abandoned <= k) return false;
      if (produced !== seen) {
        seen = produced;
        deadline = Date.now() + this.patienceMs;
      } else if (Date.now() > deadline) return false;
      Atomics.wait(header, PRODUCED, produced, 100);
    }
    return true;
  }

  /** From now on the replay's own forecaster answers, brought to where the worker's stood. */
  private leavePlan(): Forecaster {
    this.close();
    const own = createForecaster(this.plan.options);
    // Forecasts were served only with the replay's context (this.context is set before any is).
    const context = this.context!;
    for (let k = 0; k < this.step; k++) {
      const v = this.plan.observed[k];
      if (v === v) own.observe(this.timeOf(k), v);
      own.forecast(this.timeOf(k), this.plan.forecastStepMs, this.plan.forecastPoints, context);
    }
    if (this.observed) own.observe(this.timeOf(this.step), this.plan.observed[this.step]);
    this.servedAhead = this.step;
    this.own = own;
    return own;
  }
}

/** A forecasting worker: its thread, and how it is sent the table that starts it forecasting. */
export interface ForecastWorker {
  thread: Worker;
  begin(grid: WeddingLoadGrid): void;
}

export type StartForecastWorker = (plan: Omit<ForecastPlan, 'grid'>, buffers: RingBuffers, layout: RingLayout) => ForecastWorker | null;

function startForecastWorker(plan: Omit<ForecastPlan, 'grid'>, buffers: RingBuffers, layout: RingLayout): ForecastWorker | null {
  if (!forecastsAheadAvailable()) return null;
  const thread = new Worker(WORKER, { workerData: { plan, buffers, layout } });
  // A replay that ends (or fails) does not wait for the worker.
  thread.unref();
  thread.on('error', () => undefined);
  return { thread, begin: (grid) => thread.postMessage({ grid }) };
}
