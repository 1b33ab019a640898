/**
 * The agent's detector: one instance per series, O(1) time and ~3 KB of state per update.
 *
 *  1. Remove the load the calendar announces (wedding context), so a Saturday with 40 receptions is
 *     judged against the baseline plus those receptions, not against an ordinary Saturday.
 *  2. Predict the point twice — a robust seasonal baseline (hour of week / hour of day) and a short
 *     exponential level — and trust whichever has had the smaller recent error.
 *  3. Score the surprise: a point far from the prediction (spike / dip, in units of the running mean
 *     absolute error) or a short-term mean far from the long-term one (level shift).
 *  4. Report onsets: while an anomaly persists, its score decays unless it grows, so one incident is one
 *     high score (what an operator wants paged, and what NAB rewards).
 *  5. Promised-but-missing load: a live wedding expected to add load the series does not show.
 */
import type { AnomalyDetector, AnomalyKind, AnomalyResult, DetectionContext } from './detector';
import { SeasonalBaseline } from './seasonal-baseline';
import { missingExpectedLoadScore } from './wedding-context';
import { AnomalyLikelihood } from './anomaly-likelihood';

export interface CombinedDetectorOptions {
  /** Weight of a new point in the short level (spike reference). */
  levelAlpha: number;
  /** Weight of a new point in the scale (mean absolute error) and the predictors' error trackers. */
  scaleAlpha: number;
  /** Short and long means for level shifts. */
  shortAlpha: number;
  longAlpha: number;
  /** Points before any score is given. */
  warmup: number;
  /** |error| / scale below this scores 0; each `zSpan` beyond it brings the score closer to 1. */
  zMin: number;
  zSpan: number;
  /** Same for the level-shift statistic (short-long difference in long-term mean absolute deviations). */
  shiftMin: number;
  shiftSpan: number;
  /** Per-point decay of the recent-maximum that suppresses repeats of an ongoing anomaly. */
  onsetDecay: number;
  /** |z| at which the raw surprise fed to the likelihood saturates at 1. */
  zCap: number;
  /** Raw surprise averaged over this many points by the likelihood. */
  likelihoodWindow: number;
  likelihoodAlpha: number;
  /** A value beyond the range seen so far by this share of the range scores 1 (Numenta's spatial anomaly). */
  rangeTolerance: number;
  /** Lowest score of a range breach, and points after a breach during which further breaches are the same incident. */
  rangeBase: number;
  rangeRest: number;
  /** After a score at or above `restThreshold`, report 0 for `restPoints` points: one incident, one alert. */
  restPoints: number;
  restThreshold: number;
  /** 'likelihood' (calibrated per series) or 'direct' (z-scores mapped straight to [0, 1]). */
  mode: 'likelihood' | 'direct';
}

export const DEFAULT_DETECTOR_OPTIONS: CombinedDetectorOptions = {
  levelAlpha: 0.3,
  scaleAlpha: 0.01,
  shortAlpha: 0.1,
  longAlpha: 0.005,
  warmup: 50,
  zMin: 3,
  zSpan: 4,
  shiftMin: 2,
  shiftSpan: 4,
  onsetDecay: 0.995,
  zCap: 12,
  likelihoodWindow: 1,
  likelihoodAlpha: 0.001,
  rangeTolerance: 0,
  restPoints: 0,
  rangeBase: 1,
  rangeRest: 20,
  restThreshold: 0.5,
  mode: 'likelihood',
};

export class CombinedDetector implements AnomalyDetector {
  private readonly seasonal = new SeasonalBaseline();
  private n = 0;
  private level = 0;
  private offset = 0;
  private scale = 0;
  private errLevel = 0;
  private errSeasonal = 0;
  private shortMean = 0;
  private longMean = 0;
  private longDev = 0;
  private recentMax = 0;
  private missingAvg = 0;
  /** The level learned only while no wedding load is expected (reference for missing load). */
  private quietLevel = 0;
  private lastHighN = -Infinity;
  private lastRangeN = -Infinity;
  private min = Infinity;
  private max = -Infinity;
  private readonly likelihood: AnomalyLikelihood;

  constructor(private readonly o: CombinedDetectorOptions = DEFAULT_DETECTOR_OPTIONS) {
    this.likelihood = new AnomalyLikelihood(o.likelihoodWindow, o.likelihoodAlpha, o.warmup);
  }

  update(tMs: number, value: number, ctx?: DetectionContext): AnomalyResult {
    const o = this.o;
    const expected = ctx?.expectedWeddingLoad ?? 0;
    const x = value - expected;
    if (this.n === 0) {
      this.level = this.shortMean = this.longMean = this.quietLevel = x;
      this.min = this.max = x;
      this.n = 1;
      this.seasonal.learn(tMs, x, Infinity);
      return { score: 0, kind: 'none' };
    }

    // Predict with both models; the seasonal one follows slow drift through an offset.
    const s = this.seasonal.predict(tMs);
    const seasonalPred = s === s ? s + this.offset : NaN;
    const useSeasonal = seasonalPred === seasonalPred && this.errSeasonal < this.errLevel;
    const pred = useSeasonal ? seasonalPred : this.level;
    const err = x - pred;
    const floor = 1e-6 * (Math.abs(this.longMean) + 1);
    const scale = this.scale > floor ? this.scale : floor;
    const z = err / scale;
    const longDev = this.longDev > floor ? this.longDev : floor;
    const shift = (this.shortMean - this.longMean) / longDev;

    let score = 0;
    let kind: AnomalyKind = 'none';
    const az = z < 0 ? -z : z;
    const as = shift < 0 ? -shift : shift;
    if (o.mode === 'likelihood') {
      const zr = az / o.zCap;
      const sr = as / (o.zCap / 2);
      const raw = zr >= sr ? (zr > 1 ? 1 : zr) : sr > 1 ? 1 : sr;
      score = this.likelihood.update(raw);
      if (this.n >= o.warmup && score > 0) kind = zr >= sr ? (z > 0 ? 'spike' : 'dip') : 'level_shift';
      const range = this.max - this.min;
      const tol = range * o.rangeTolerance;
      if (this.n >= o.warmup && range > 0 && (x > this.max + tol || x < this.min - tol)) {
        // Graded: a value far outside everything seen scores higher than one just past the edge.
        const excess = (x > this.max ? x - this.max - tol : this.min - tol - x) / range;
        const rangeScore = o.rangeBase + (1 - o.rangeBase) * (excess >= 1 ? 1 : excess);
        if (this.n - this.lastRangeN > o.rangeRest && rangeScore > score) {
          score = rangeScore;
          kind = x > this.max ? 'spike' : 'dip';
        }
        this.lastRangeN = this.n;
      }
    } else if (this.n >= o.warmup) {
      const spike = az > o.zMin ? 1 - Math.exp(-(az - o.zMin) / o.zSpan) : 0;
      const lvl = as > o.shiftMin ? 1 - Math.exp(-(as - o.shiftMin) / o.shiftSpan) : 0;
      const raw = spike >= lvl ? spike : lvl;
      if (raw > 0) kind = spike >= lvl ? (z > 0 ? 'spike' : 'dip') : 'level_shift';
      // Onset reporting: a score counts in full only above the decayed maximum of recent scores.
      score = raw > this.recentMax ? raw : raw * 0.1;
      this.recentMax = Math.max(this.recentMax * o.onsetDecay, raw);
    }
    if (x > this.max) this.max = x;
    if (x < this.min) this.min = x;
    if (o.mode === 'likelihood') {
      const resting = this.n - this.lastHighN <= o.restPoints;
      if (score >= o.restThreshold) this.lastHighN = this.n;
      if (resting) score = 0;
    }

    // Wedding context: load the calendar promised that is not there. Judged against the prediction
    // (the baseline), a missing wedding surge looks like a dip; it is labelled as what it is.
    // The baseline must not follow the shortfall: the seasonal expectation, or the level before the weddings.
    const quietBaseline = seasonalPred === seasonalPred ? seasonalPred : this.quietLevel;
    const missing = missingExpectedLoadScore(value, quietBaseline + expected, expected, scale);
    this.missingAvg += 0.3 * (missing - this.missingAvg);
    if (this.n >= o.warmup && missing > 0 && (kind === 'dip' || kind === 'none' || this.missingAvg > score)) {
      score = Math.max(score, this.missingAvg);
      kind = 'missing_expected_load';
    }

    // Learn (after scoring: the point's own score used only the past).
    const clip = 3 * scale;
    const ce = err > clip ? clip : err < -clip ? -clip : err;
    this.seasonal.learn(tMs, x - this.offset, this.n < o.warmup ? Infinity : clip);
    if (seasonalPred === seasonalPred) {
      this.errSeasonal += o.scaleAlpha * (Math.abs(x - seasonalPred) - this.errSeasonal);
      this.offset += 0.02 * (x - seasonalPred > clip ? clip : x - seasonalPred < -clip ? -clip : x - seasonalPred);
    } else this.errSeasonal = Infinity;
    const levelErr = Math.abs(x - this.level);
    this.errLevel = this.n === 1 ? levelErr : this.errLevel + o.scaleAlpha * (levelErr - this.errLevel);
    if (this.errSeasonal === Infinity && seasonalPred === seasonalPred) this.errSeasonal = this.errLevel;
    this.level += o.levelAlpha * (x - this.level);
    if (expected === 0) this.quietLevel += o.levelAlpha * (x - this.quietLevel);
    const a = Math.abs(ce);
    this.scale = this.n === 1 ? a : this.scale + o.scaleAlpha * (Math.abs(err) - this.scale);
    this.shortMean += o.shortAlpha * (x - this.shortMean);
    this.longMean += o.longAlpha * (x - this.longMean);
    this.longDev += o.longAlpha * (Math.abs(x - this.longMean) - this.longDev);
    this.n++;
    return { score, kind };
  }
}

/** The factory the agent and the benchmarks use. */
export function createDetector(options: Partial<CombinedDetectorOptions> = {}): CombinedDetector {
  return new CombinedDetector({ ...DEFAULT_DETECTOR_OPTIONS, ...options });
}
