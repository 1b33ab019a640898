/**
 * The agent's forecaster, one per target:
 *
 *   forecast(t) = seasonal(t) × level  +  β · expectedWeddingLoad(t)
 *
 * - seasonal(t): the median of the same instant 1…K weeks earlier (after removing the wedding load
 *   the calendar explains there), so one holiday week or one viral surge does not bend the profile;
 *   the median of the same time on earlier days while there are fewer than `minWeeks` weeks of history.
 * - level: how the last `levelHours` compare with that profile (damped square root, clipped), which
 *   follows level shifts and the move into or out of peak season within a day or two.
 * - β: the load one unit of expected wedding load really adds, fitted by least squares on the history
 *   (the excess over the seasonal profile against the calendar's expected load); 1 until the history
 *   holds enough wedding time.
 * - Bounds: empirical quantiles of the method's own recent relative errors.
 * - Cold start: with no history the calendar prior alone (β = 1 over zero base), flagged coldStart.
 *
 * Measured against alternatives (seasonal naive, @bsull/augurs MSTL/ETS) by `npm run bench:forecast`.
 */
import type { Forecast, ForecastContext, Forecaster, ForecastPoint } from './forecaster';
import { HistoryBuffer } from './history-buffer';
import { InstantCache } from './instant-cache';
import { LevelMemory } from './level-memory';
import { ProfileInputMemory } from './profile-input-memory';
import { RefitSamples } from './refit-samples';
import { fitThroughOrigin, quantileOfSorted } from './robust';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** History points the level factor samples over its window. */
const LEVEL_SAMPLES = 500;

export interface SeasonalForecasterOptions {
  /** Weeks of history in the weekly median. */
  weeks: number;
  /** Weeks needed before the weekly profile replaces the daily one. */
  minWeeks: number;
  /** Recent window that sets the level factor. */
  levelHours: number;
  /** Most points kept (bounded memory); older points are forgotten. */
  capacity: number;
  /**
   * Readings closer together than this are averaged into one point, so a 15 s tick does not fill the
   * buffer four times faster than the weekly profile needs.
   */
  resolutionMs: number;
  /** How often (in data time) β and the error bands are refitted. */
  refitEveryMs: number;
  /** Quantile pair for the lower/upper bounds (0.05 → a 90 % band). */
  boundQuantile: number;
  /**
   * Remember what each history point's profile reads (profile-input-memory.ts): for replays, whose
   * calendar is fixed while they play. Same forecasts, more memory, far less searching.
   */
  pointMemory?: boolean;
}

export const DEFAULT_FORECASTER_OPTIONS: SeasonalForecasterOptions = {
  weeks: 6,
  minWeeks: 3,
  levelHours: 48,
  capacity: 7 * 24 * 60 * 7, // seven weeks at one point a minute
  resolutionMs: 60_000,
  refitEveryMs: HOUR_MS,
  boundQuantile: 0.05,
};

export class SeasonalCalendarForecaster implements Forecaster {
  private readonly history: HistoryBuffer;
  private beta = 1;
  private band: [number, number] = [-0.2, 0.2];
  private lastFitMs = -Infinity;
  private bucketStartMs = -Infinity;
  private bucketSum = 0;
  private bucketCount = 0;
  /**
   * Seasonal profile values by instant. The loop asks every tick for a horizon that moved by one step,
   * so all but one point were computed last time; cleared at each refit (β changes the profile).
   */
  private readonly profileCache: InstantCache;
  private cacheLag = 0;
  private cachePhase = NaN;
  /** Each history point's profile inputs, when `pointMemory` is on. */
  private readonly memory: ProfileInputMemory | null;
  /** The level's per-point terms, when `pointMemory` is on. */
  private readonly levelMemory: LevelMemory | null;
  /** Scratch: the profile's values at t − k·lag, and the refit's samples (reused: no allocation per tick). */
  private readonly vals: Float64Array;
  /** What the refit read, kept between refits where it still holds. */
  private readonly samples = new RefitSamples();

  constructor(private readonly o: SeasonalForecasterOptions = DEFAULT_FORECASTER_OPTIONS) {
    this.history = new HistoryBuffer(o.capacity);
    this.profileCache = new InstantCache(o.resolutionMs, 1 << 13);
    const lags = Math.max(7, o.weeks);
    this.vals = new Float64Array(lags);
    this.memory = o.pointMemory ? new ProfileInputMemory(o.capacity, lags) : null;
    this.levelMemory = o.pointMemory ? new LevelMemory(o.capacity) : null;
  }

  observe(tMs: number, value: number): void {
    if (!Number.isFinite(value)) return;
    if (tMs > this.bucketStartMs && tMs - this.bucketStartMs < this.o.resolutionMs) {
      this.bucketSum += value;
      this.bucketCount++;
      this.history.replaceLast(this.bucketSum / this.bucketCount);
      return;
    }
    const h = this.history;
    if (h.length && tMs <= h.timeAt(h.length - 1)) return; // out of order: ignored
    h.push(tMs, value);
    this.bucketStartMs = tMs;
    this.bucketSum = value;
    this.bucketCount = 1;
  }

  forecast(fromMs: number, stepMs: number, steps: number, ctx: ForecastContext): Forecast {
    const h = this.history;
    // Only points at or before the origin count, even if later ones were observed (no future rows).
    const end = h.lowerBound(fromMs + 1);
    if (end === 0) return calendarPrior(fromMs, stepMs, steps, ctx);
    const tol = Math.max(h.typicalStepMs(end), 1) / 2 + 1;
    const lastT = h.timeAt(end - 1);
    const span = lastT - h.timeAt(0);
    const useWeekly = span >= this.o.minWeeks * WEEK_MS - tol;
    const lag = useWeekly ? WEEK_MS : DAY_MS;
    const count = useWeekly ? this.o.weeks : 7;
    if (span < DAY_MS - tol) return this.levelOnly(fromMs, stepMs, steps, ctx, end);

    if (Math.abs(fromMs - this.lastFitMs) >= this.o.refitEveryMs) this.refit(ctx, lag, count, tol, end, fromMs);
    // Keys are instants on the caller's grid. A step-aligned caller (replay, backtest) asks the same grid
    // again one step later and reuses all but one point. The agent asks from the tick's own instant, so its
    // grid moves every tick and old keys are never asked again: a new grid starts a new cache (before,
    // each target kept up to 50,000 dead keys, ~3 MB; ~60 MB of heap at 20 targets).
    const phase = ((fromMs % stepMs) + stepMs) % stepMs;
    if (lag !== this.cacheLag || phase !== this.cachePhase || this.profileCache.size > 50_000) {
      this.profileCache.clear(phase);
      this.cacheLag = lag;
      this.cachePhase = phase;
    }
    const level = this.levelFactor(ctx, fromMs, end, lag, count, tol);
    const free = ctx.weddingFree === true;
    const points: ForecastPoint[] = [];
    for (let k = 1; k <= steps; k++) {
      const t = fromMs + k * stepMs;
      const base = this.profile(t, ctx, lag, count, tol, fromMs);
      const seasonal = base === base ? base * level : this.recentMean(fromMs, ctx, end);
      const wedding = this.beta * (free ? 0 : ctx.expectedWeddingLoad(t));
      const value = Math.max(0, seasonal + wedding);
      points.push({ tMs: t, value, lower: Math.max(0, seasonal * (1 + this.band[0]) + wedding * 0.5), upper: seasonal * (1 + this.band[1]) + wedding * 1.5 });
    }
    return { points, method: useWeekly ? 'weekly-median+level+calendar' : 'daily-median+level+calendar', coldStart: false };
  }

  /** The seasonal profile at t, cached unless a lag had to step back past the origin (then it depends on it). */
  private profile(t: number, ctx: ForecastContext, lag: number, count: number, tol: number, fromMs: number): number {
    if (t - lag >= fromMs) return this.profileAt(t, ctx, lag, count, tol, fromMs);
    let v = this.profileCache.get(t);
    if (v === undefined) {
      v = this.profileAt(t, ctx, lag, count, tol, fromMs);
      this.profileCache.set(t, v);
    }
    return v;
  }

  /** Median of the wedding-free values at t − k·lag, k = 1…count, using only points before `beforeMs`. */
  private profileAt(t: number, ctx: ForecastContext, lag: number, count: number, tol: number, beforeMs: number): number {
    // With β = 0 (the refit) or no weddings, the calendar adds nothing: v − 0 is v, so it is not asked.
    const free = this.beta === 0 || ctx.weddingFree === true;
    const vals = this.vals;
    let n = 0;
    for (let k = 1; k <= count; k++) {
      let tk = t - k * lag;
      // Horizons beyond one lag: step back further so the profile never reads the future.
      while (tk >= beforeMs) tk -= lag;
      const v = this.history.near(tk, tol);
      if (v === v) vals[n++] = free ? v : v - this.beta * ctx.expectedWeddingLoad(tk);
    }
    return n ? medianOf(vals, n) : NaN;
  }

  /** Recent actual / profile over the last `levelHours`: damped and clipped, 1 when unknown. */
  private levelFactor(ctx: ForecastContext, fromMs: number, end: number, lag: number, count: number, tol: number): number {
    if (this.levelMemory) return this.levelFactorRemembered(this.levelMemory, ctx, fromMs, end, lag, count, tol);
    const h = this.history;
    const free = ctx.weddingFree === true;
    const cache = this.profileCache;
    let actual = 0;
    let expected = 0;
    const start = h.lowerBound(fromMs - this.o.levelHours * HOUR_MS);
    const stride = Math.max(1, Math.floor((end - start) / LEVEL_SAMPLES));
    for (let k = start; k < end; k += stride) {
      const t = h.timeAt(k);
      // A history point is never a lag past the origin: its profile is always cacheable (see profile()).
      let p = cache.get(t);
      if (p === undefined) {
        p = this.profileAt(t, ctx, lag, count, tol, fromMs);
        cache.set(t, p);
      }
      if (p !== p) continue;
      actual += free ? h.valueAt(k) : h.valueAt(k) - this.beta * ctx.expectedWeddingLoad(t);
      expected += p;
    }
    if (!(expected > 0) || !(actual > 0)) return 1;
    const ratio = actual / expected;
    return Math.sqrt(ratio < 0.8 ? 0.8 : ratio > 1.25 ? 1.25 : ratio);
  }

  /**
   * levelFactor with each point's two terms read from level memory: the same sums, in the same order.
   * Points the memory does not hold yet for this generation are worked out once (as levelFactor would,
   * through the profile cache) and kept; the newest point, still filling its bucket, is read afresh.
   */
  private levelFactorRemembered(lm: LevelMemory, ctx: ForecastContext, fromMs: number, end: number, lag: number, count: number, tol: number): number {
    const h = this.history;
    const start = h.lowerBound(fromMs - this.o.levelHours * HOUR_MS);
    const stride = Math.max(1, Math.floor((end - start) / LEVEL_SAMPLES));
    const newest = h.length - 1;
    // Points [start, kept) come from memory; the newest (when in the window) is never kept.
    const kept = end - 1 === newest ? newest : end;
    const cache = this.profileCache;
    lm.prepare(ctx, cache.generationId, h.seqOf(start));
    if (this.memory) this.memory.useCalendar(ctx);
    const oldest = h.timeAt(0);
    for (let k = lm.toSeq - h.seqOf(0); k < kept; k++) {
      const slot = h.slotOf(k);
      const t = h.timeAtSlot(slot);
      lm.keep(slot, this.levelProfile(k, slot, t, ctx, lag, count, tol, oldest), this.levelActual(k, t, ctx));
    }
    const profile = lm.profile;
    const actualOf = lm.actual;
    const capacity = h.capacity;
    let actual = 0;
    let expected = 0;
    // The sampled points [start, kept) in ring slots: one run to the ring's end, then one from its start.
    let sampled = kept > start ? Math.ceil((kept - start) / stride) : 0;
    const k = start + sampled * stride;
    let slot = h.slotOf(start);
    while (sampled > 0) {
      const run = Math.min(sampled, Math.ceil((capacity - slot) / stride));
      for (const runEnd = slot + run * stride; slot < runEnd; slot += stride) {
        actual += actualOf[slot];
        expected += profile[slot];
      }
      sampled -= run;
      slot -= capacity;
    }
    if (k === newest && k < end) {
      const t = h.timeAt(k);
      const p = this.levelProfile(k, h.slotOf(k), t, ctx, lag, count, tol, oldest);
      if (p === p) {
        actual += this.levelActual(k, t, ctx);
        expected += p;
      }
    }
    if (!(expected > 0) || !(actual > 0)) return 1;
    const ratio = actual / expected;
    return Math.sqrt(ratio < 0.8 ? 0.8 : ratio > 1.25 ? 1.25 : ratio);
  }

  /** History point k's profile as the level reads it: the cache's value, else worked out and cached. */
  private levelProfile(k: number, slot: number, t: number, ctx: ForecastContext, lag: number, count: number, tol: number, oldest: number): number {
    const cached = this.profileCache.get(t);
    if (cached !== undefined) return cached;
    const p = this.profileOfPoint(slot, t, ctx, lag, count, tol, oldest);
    this.profileCache.set(t, p);
    return p;
  }

  /** History point k's value less the wedding load β says the calendar explains there. */
  private levelActual(k: number, t: number, ctx: ForecastContext): number {
    return ctx.weddingFree === true ? this.history.valueAt(k) : this.history.valueAt(k) - this.beta * ctx.expectedWeddingLoad(t);
  }

  /**
   * profileAt(t, …) for the history point in ring slot `slot` (t − lag before the origin, so no lag steps
   * back further), its inputs read from point memory when still right: the same values in the same order,
   * the same median. `oldest` is the history's first time; the caller has told the memory the calendar.
   */
  private profileOfPoint(slot: number, t: number, ctx: ForecastContext, lag: number, count: number, tol: number, oldest: number): number {
    const m = this.memory!;
    const h = this.history;
    const at = slot * m.stride;
    if (!m.holds(slot, t, lag, count, tol, oldest)) {
      const free = ctx.weddingFree === true;
      let n = 0;
      let weddingFree = 1;
      // The oldest a later first point may be with every window read still whole (see ProfileInputMemory.holds).
      let safeOldest = Infinity;
      for (let j = 1; j <= count; j++) {
        const tj = t - j * lag;
        if (tj + tol >= oldest) safeOldest = tj - tol;
        const v = h.near(tj, tol);
        if (v !== v) continue;
        const w = free ? 0 : ctx.expectedWeddingLoad(tj);
        m.v[at + n] = v;
        m.w[at + n] = w;
        if (w !== 0) weddingFree = 0;
        n++;
      }
      m.weddingFree[slot] = weddingFree;
      // Kept only when no point it read can still change (the newest is averaged while its bucket fills).
      m.keep(slot, t, lag, tol, oldest, safeOldest, n, t - lag + tol < h.timeAt(h.length - 1));
    }
    const n = m.n[slot];
    if (!n) return NaN;
    const vals = this.vals;
    if (this.beta === 0 || ctx.weddingFree === true || m.weddingFree[slot]) {
      // No wedding term (the refit's β = 0, or no wedding load at any instant read, where v − β·0 is v to
      // the bit for a finite β): the median of what was read, once per entry.
      if (m.fitKnown[slot]) return m.fit[slot];
      for (let i = 0; i < n; i++) vals[i] = m.v[at + i];
      m.fit[slot] = medianOf(vals, n);
      m.fitKnown[slot] = 1;
      return m.fit[slot];
    }
    // Locals: the loop then reads no field through `this` or `m` (the stores into vals could alias them for all V8 knows).
    const beta = this.beta;
    const v = m.v;
    const w = m.w;
    for (let i = 0; i < n; i++) vals[i] = v[at + i] - beta * w[at + i];
    return medianOf(vals, n);
  }

  /**
   * Refits β (wedding excess per unit of expected load) and the relative error band on recent history.
   * With point memory (a fixed calendar) the samples of earlier refits that still hold are reused
   * (refit-samples.ts); only the points since are read.
   */
  private refit(ctx: ForecastContext, lag: number, count: number, tol: number, end: number, fromMs: number): void {
    const h = this.history;
    this.lastFitMs = fromMs;
    const free = ctx.weddingFree === true;
    const samples = this.samples;
    const stride = Math.max(1, Math.floor(end / 3000));
    samples.begin(this.memory !== null, ctx, lag, count, tol, stride, h.seqOf(0), end);
    // Points that can no longer change: all but the newest, whose value still moves while its bucket fills.
    const fixedEnd = Math.min(end, h.length - 1);
    const saved = this.beta;
    this.beta = 0;
    const oldest = h.timeAt(0);
    this.memory?.useCalendar(ctx);
    for (let k = samples.next; k < end; k += stride) {
      const keep = k < fixedEnd;
      const t = h.timeAt(k);
      const base = this.memory ? this.profileOfPoint(h.slotOf(k), t, ctx, lag, count, tol, oldest) : this.profileAt(t, ctx, lag, count, tol, t);
      if (base !== base) continue;
      const e = free ? 0 : ctx.expectedWeddingLoad(t);
      const excess = h.valueAt(k) - base;
      if (e > 0) samples.addFit(e, excess, keep);
      else if (base > 0) samples.addRel(h.valueAt(k) / base - 1, keep);
    }
    // The first sample not kept: where the next refit starts reading.
    samples.next = Math.max(samples.next, Math.ceil(fixedEnd / stride) * stride);
    const { xs, ys } = samples;
    const fitted = xs.length >= 30 ? fitThroughOrigin(xs, ys) : NaN;
    this.beta = Number.isFinite(fitted) && fitted > 0 ? fitted : saved;
    this.profileCache.clear();
    if (samples.relCount >= 30) {
      const q = this.o.boundQuantile;
      const sorted = samples.sortedRel();
      this.band = [Math.min(-0.02, quantileOfSorted(sorted, q)), Math.max(0.02, quantileOfSorted(sorted, 1 - q))];
    }
  }

  private recentMean(fromMs: number, ctx: ForecastContext, end: number): number {
    const h = this.history;
    const free = ctx.weddingFree === true;
    const start = h.lowerBound(fromMs - HOUR_MS);
    let sum = 0;
    let n = 0;
    for (let k = start; k < end; k++) {
      sum += free ? h.valueAt(k) : h.valueAt(k) - this.beta * ctx.expectedWeddingLoad(h.timeAt(k));
      n++;
    }
    return n ? sum / n : h.valueAt(end - 1);
  }

  /** Less than a day of history: the recent level plus the calendar. */
  private levelOnly(fromMs: number, stepMs: number, steps: number, ctx: ForecastContext, end: number): Forecast {
    const base = Math.max(0, this.recentMean(fromMs, ctx, end));
    const points: ForecastPoint[] = [];
    for (let k = 1; k <= steps; k++) {
      const t = fromMs + k * stepMs;
      const wedding = this.beta * ctx.expectedWeddingLoad(t);
      points.push({ tMs: t, value: base + wedding, lower: Math.max(0, 0.7 * base + 0.5 * wedding), upper: 1.3 * base + 1.5 * wedding });
    }
    return { points, method: 'level+calendar (under a day of history)', coldStart: false };
  }
}

/**
 * The median of vals[0…n): sorted in place by insertion (n ≤ weeks or 7; stable, like the Array sort it
 * replaces, so the result is the same number to the bit), without allocating.
 */
function medianOf(vals: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const v = vals[i];
    let j = i - 1;
    while (j >= 0 && vals[j] - v > 0) {
      vals[j + 1] = vals[j];
      j--;
    }
    vals[j + 1] = v;
  }
  return n % 2 ? vals[n >> 1] : (vals[n / 2 - 1] + vals[n / 2]) / 2;
}

/** No history at all: what the calendar promises, with wide bounds. Says so in `method`. */
export function calendarPrior(fromMs: number, stepMs: number, steps: number, ctx: ForecastContext): Forecast {
  const points: ForecastPoint[] = [];
  for (let k = 1; k <= steps; k++) {
    const t = fromMs + k * stepMs;
    const value = ctx.expectedWeddingLoad(t);
    points.push({ tMs: t, value, lower: 0.5 * value, upper: 1.5 * value });
  }
  return { points, method: 'calendar-prior (no history yet)', coldStart: true };
}

export function createForecaster(options: Partial<SeasonalForecasterOptions> = {}): SeasonalCalendarForecaster {
  return new SeasonalCalendarForecaster({ ...DEFAULT_FORECASTER_OPTIONS, ...options });
}
