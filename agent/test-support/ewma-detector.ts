/**
 * A small streaming detector: distance from an exponentially weighted mean in units of the weighted
 * standard deviation, after removing the load the calendar announces. Bounded state (three numbers).
 */
import type { AnomalyDetector, AnomalyResult, DetectionContext } from '../src/detect/detector';

export class EwmaDetector implements AnomalyDetector {
  private mean = 0;
  private variance = 0;
  private n = 0;

  constructor(
    private readonly alpha = 0.05,
    private readonly warmup = 20,
  ) {}

  update(_tMs: number, value: number, ctx?: DetectionContext): AnomalyResult {
    const x = value - (ctx?.expectedWeddingLoad ?? 0);
    let result: AnomalyResult = { score: 0, kind: 'none' };
    if (this.n >= this.warmup) {
      const sd = Math.sqrt(this.variance) || Math.abs(this.mean) * 0.01 || 1;
      const z = (x - this.mean) / sd;
      const score = 1 - Math.exp(-Math.max(0, Math.abs(z) - 2) / 2);
      if (score > 0) result = { score, kind: z > 0 ? 'spike' : 'dip' };
    }
    if (this.n === 0) this.mean = x;
    const diff = x - this.mean;
    this.mean += this.alpha * diff;
    this.variance = (1 - this.alpha) * (this.variance + this.alpha * diff * diff);
    this.n++;
    return result;
  }
}
