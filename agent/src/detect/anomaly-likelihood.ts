/**
 * Anomaly likelihood (after Numenta's HTM anomaly likelihood, Ahmad et al. 2017): how unusual the
 * recent average surprise is, compared with this series' own history of surprise. It turns raw scores
 * of very different series (a quiet flat line, a noisy tweet count) into one calibrated scale, so a
 * single threshold works for all of them. Bounded state: a short ring of raw scores and two moments.
 */
const LOG_EPS = Math.log(1.0 - 0.9999999999);

export class AnomalyLikelihood {
  private readonly ring: Float64Array;
  private pos = 0;
  private filled = 0;
  private sum = 0;
  private mean = 0;
  private variance = 0;
  private seen = 0;

  /**
   * @param window raw scores averaged together (short: an incident's first points)
   * @param alpha weight of a new average in the long-run mean and variance
   * @param learning averages seen before the likelihood means anything (reports 0 until then)
   */
  constructor(window = 10, private readonly alpha = 0.001, private readonly learning = 300) {
    this.ring = new Float64Array(window);
  }

  /** Adds a raw score in [0, 1] and returns the log-scaled likelihood in [0, 1] (0.5 ≈ a 1-in-100,000 surprise). */
  update(raw: number): number {
    this.sum += raw - this.ring[this.pos];
    this.ring[this.pos] = raw;
    this.pos = (this.pos + 1) % this.ring.length;
    if (this.filled < this.ring.length) this.filled++;
    const avg = this.sum / this.filled;

    let score = 0;
    if (this.seen >= this.learning) {
      const sd = Math.sqrt(this.variance > 1e-4 ? this.variance : 1e-4);
      const likelihood = 1 - upperTail((avg - this.mean) / sd);
      score = Math.log(1.0000000001 - likelihood) / LOG_EPS;
    }
    // Learn after scoring; an incident's own averages are damped so it cannot teach itself to be normal.
    const d = avg - this.mean;
    const a = this.seen < this.learning ? 1 / (this.seen + 1) : this.alpha;
    this.mean += a * d;
    this.variance = (1 - a) * (this.variance + a * d * d);
    this.seen++;
    return score < 0 ? 0 : score > 1 ? 1 : score;
  }
}

/** P(Z > z) for a standard normal (Abramowitz–Stegun 7.1.26 erfc, error < 1.5e-7). */
export function upperTail(z: number): number {
  if (z < 0) return 1 - upperTail(-z);
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return 0.5 * poly * Math.exp(-x * x);
}
