/**
 * The agent's detector: one instance per series, O(1) time and a few KB of state per update.
 *
 *  1. Remove the load the calendar announces (wedding context), so a Saturday with 40 receptions is
 *     judged against the baseline plus those receptions, not against an ordinary Saturday.
 *  2. Three surprises, each from state learned on earlier points only:
 *     - point: distance from the short level AND from the seasonal baseline (a spike or dip neither
 *       explains), in units of their running mean absolute errors;
 *     - seasonal: distance from the seasonal baseline (hour of week / hour of day) alone, which catches
 *       a missing daily peak that a short level follows;
 *     - level shift: short-term mean against long-term mean, in long-term mean absolute deviations.
 *  3. Each surprise is scored by its rarity in this series' own recent history of that surprise ("seen
 *     once in N points", see rarity.ts), so one threshold suits quiet and noisy series alike; the score
 *     is the largest, weighted so that the seasonal surprise leads (it carried the NAB score).
 *  4. A value beyond the whole range seen so far scores 1 (Numenta's "spatial anomaly").
 *  5. Promised-but-missing load: a live wedding expected to add load the series does not show.
 */
import type { AnomalyDetector, AnomalyKind, AnomalyResult, DetectionContext } from './detector';
import { SeasonalBaseline } from './seasonal-baseline';
import { missingExpectedLoadScore } from './wedding-context';
import { Rarity } from './rarity';

export interface CombinedDetectorOptions {
  /** Weight of a new point in the short level. */
  levelAlpha: number;
  /** Weight of a new point in the running mean absolute errors. */
  scaleAlpha: number;
  /** Short and long means for level shifts. */
  shortAlpha: number;
  longAlpha: number;
  /** Points before any score is given. */
  warmup: number;
  /** Weight of each surprise's rarity score in the final score (0 switches it off; below 1 ranks it under range breaches). */
  pointWeight: number;
  seasonalWeight: number;
  shiftWeight: number;
  /** A value beyond the range seen so far by this share of the range scores 1. */
  rangeTolerance: number;
  /** Points after a range breach during which further breaches are the same incident. */
  rangeRest: number;
  /** Width of a seasonal slot (divides a day) and the weight of a new point in its slot. */
  slotMinutes: number;
  seasonalAlpha: number;
  /** Rarity histograms: decay every N points by a factor; "1 in rarityOdds" or rarer scores 1. */
  rarityDecayEvery: number;
  rarityDecay: number;
  rarityOdds: number;
  /** Beyond the largest surprise seen, every this many histogram bins doubles the odds (0: off). */
  rarityExtrapolationBins: number;
  /** Pseudo-points of an exponential prior on |z| in each rarity histogram (0: none). */
  rarityPrior: number;
}

export const DEFAULT_DETECTOR_OPTIONS: CombinedDetectorOptions = {
  levelAlpha: 0.5,
  scaleAlpha: 0.003,
  shortAlpha: 0.1,
  longAlpha: 0.005,
  warmup: 50,
  pointWeight: 0.8,
  seasonalWeight: 0.98,
  shiftWeight: 0.8,
  rangeTolerance: 0.02,
  rangeRest: 20,
  slotMinutes: 60,
  seasonalAlpha: 0.03,
  rarityDecayEvery: 300,
  rarityDecay: 0.8,
  rarityOdds: 1e5,
  rarityExtrapolationBins: 8,
  rarityPrior: 1000,
};

export class CombinedDetector implements AnomalyDetector {
  private readonly seasonal: SeasonalBaseline;
  private readonly pointRarity: Rarity;
  private readonly seasonalRarity: Rarity;
  private readonly shiftRarity: Rarity;
  private n = 0;
  private level = 0;
  private errLevel = 0;
  private offset = 0;
  private errSeasonal = NaN;
  private shortMean = 0;
  private longMean = 0;
  private longDev = 0;
  private min = 0;
  private max = 0;
  private lastRangeN = -Infinity;
  private missingAvg = 0;
  /** The level learned only while no wedding load is expected (reference for missing load). */
  private quietLevel = 0;

  constructor(private readonly o: CombinedDetectorOptions = DEFAULT_DETECTOR_OPTIONS) {
    this.seasonal = new SeasonalBaseline(o.seasonalAlpha, o.slotMinutes);
    this.pointRarity = new Rarity(o.rarityDecayEvery, o.rarityDecay, o.rarityOdds, o.rarityExtrapolationBins, o.rarityPrior);
    this.seasonalRarity = new Rarity(o.rarityDecayEvery, o.rarityDecay, o.rarityOdds, o.rarityExtrapolationBins, o.rarityPrior);
    this.shiftRarity = new Rarity(o.rarityDecayEvery, o.rarityDecay, o.rarityOdds, o.rarityExtrapolationBins, o.rarityPrior);
  }

  update(tMs: number, value: number, ctx?: DetectionContext): AnomalyResult {
    const o = this.o;
    const expected = ctx?.expectedWeddingLoad ?? 0;
    const x = value - expected;
    if (this.n === 0) {
      this.level = this.shortMean = this.longMean = this.quietLevel = this.min = this.max = x;
      this.n = 1;
      this.seasonal.learn(tMs, x, Infinity);
      return { score: 0, kind: 'none' };
    }

    // Surprises, from state learned on earlier points only.
    const floor = 1e-6 * (Math.abs(this.longMean) + 1);
    const s = this.seasonal.predict(tMs);
    const seasonalPred = s === s ? s + this.offset : NaN;
    const hasSeasonal = seasonalPred === seasonalPred && this.errSeasonal === this.errSeasonal;
    const zLevel = (x - this.level) / (this.errLevel > floor ? this.errLevel : floor);
    const zSeasonal = hasSeasonal ? (x - seasonalPred) / (this.errSeasonal > floor ? this.errSeasonal : floor) : 0;
    const azL = Math.abs(zLevel);
    const azS = Math.abs(zSeasonal);
    const zPoint = hasSeasonal && azS < azL ? zSeasonal : zLevel;
    const shift = (this.shortMean - this.longMean) / (this.longDev > floor ? this.longDev : floor);

    // Each surprise scored by its rarity in this series' own history of that surprise.
    const point = o.pointWeight * this.pointRarity.update(Math.abs(zPoint));
    const seasonal = hasSeasonal ? o.seasonalWeight * this.seasonalRarity.update(azS) : 0;
    const level = o.shiftWeight * this.shiftRarity.update(Math.abs(shift));

    let score = 0;
    let kind: AnomalyKind = 'none';
    if (this.n >= o.warmup) {
      score = point;
      kind = zPoint > 0 ? 'spike' : 'dip';
      if (seasonal > score) {
        score = seasonal;
        kind = zSeasonal > 0 ? 'spike' : 'dip';
      }
      if (level > score) {
        score = level;
        kind = 'level_shift';
      }
      const range = this.max - this.min;
      const tol = range * o.rangeTolerance;
      if (range > 0 && (x > this.max + tol || x < this.min - tol)) {
        if (this.n - this.lastRangeN > o.rangeRest) {
          score = 1;
          kind = x > this.max ? 'spike' : 'dip';
        }
        this.lastRangeN = this.n;
      }
      if (score <= 0) kind = 'none';
    }

    // Wedding context: load the calendar promised that is not there. Judged against the baseline, a
    // missing wedding surge looks like a dip; it is labelled as what it is. The reference must not
    // follow the shortfall: the seasonal expectation, or the level learned outside weddings.
    const quietBaseline = hasSeasonal ? seasonalPred : this.quietLevel;
    const missing = missingExpectedLoadScore(value, quietBaseline + expected, expected, this.errLevel > floor ? this.errLevel : floor);
    this.missingAvg += 0.3 * (missing - this.missingAvg);
    if (this.n >= o.warmup && missing > 0 && (kind === 'dip' || kind === 'none' || this.missingAvg > score)) {
      score = Math.max(score, this.missingAvg);
      kind = 'missing_expected_load';
    }

    this.learn(tMs, x, expected, seasonalPred, floor);
    return { score, kind };
  }

  /** Updates the state with x (after scoring it). Clipped updates keep anomalies out of the baselines. */
  private learn(tMs: number, x: number, expected: number, seasonalPred: number, floor: number): void {
    const o = this.o;
    const scale = this.errLevel > floor ? this.errLevel : floor;
    const clip = 3 * scale;
    this.seasonal.learn(tMs, x - this.offset, this.n < o.warmup ? Infinity : clip);
    if (seasonalPred === seasonalPred) {
      const d = x - seasonalPred;
      this.errSeasonal = this.errSeasonal === this.errSeasonal ? this.errSeasonal + o.scaleAlpha * (Math.abs(d) - this.errSeasonal) : this.errLevel;
      this.offset += 0.02 * (d > clip ? clip : d < -clip ? -clip : d);
    }
    const e = Math.abs(x - this.level);
    this.errLevel = this.n === 1 ? e : this.errLevel + o.scaleAlpha * (e - this.errLevel);
    this.level += o.levelAlpha * (x - this.level);
    if (expected === 0) this.quietLevel += o.levelAlpha * (x - this.quietLevel);
    this.shortMean += o.shortAlpha * (x - this.shortMean);
    this.longMean += o.longAlpha * (x - this.longMean);
    this.longDev += o.longAlpha * (Math.abs(x - this.longMean) - this.longDev);
    if (x > this.max) this.max = x;
    if (x < this.min) this.min = x;
    this.n++;
  }
}

/** The factory the agent and the benchmarks use. */
export function createDetector(options: Partial<CombinedDetectorOptions> = {}): CombinedDetector {
  return new CombinedDetector({ ...DEFAULT_DETECTOR_OPTIONS, ...options });
}
