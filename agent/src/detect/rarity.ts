/**
 * How rare a surprise is in this series' own history: a decaying histogram of |z| (log-spaced bins), and
 * the share of past points at least as surprising. Unlike a Gaussian tail, it makes no assumption about
 * the shape of the noise, so a heavy-tailed series (tweet counts) and a quiet one (CPU of an idle host)
 * get scores on the same scale: "seen once in N points". Bounded state: 64 counts and their Fenwick tree.
 */
const BINS = 64;

export class Rarity {
  private readonly counts = new Float32Array(BINS);
  /** Fenwick tree over `counts` (linear, so decaying every node decays every prefix sum): O(log bins) tails. */
  private readonly tree = new Float32Array(BINS + 1);
  private total = 0;
  private sinceDecay = 0;

  /**
   * @param decayEvery points between decays of all counts by `decay` (forgetting the old regime)
   * @param fullScoreOdds rarity that scores 1: `1 in fullScoreOdds` or rarer
   */
  /** Highest bin still holding at least half a point: the edge of what this series has shown. */
  private topBin = -1;

  /**
   * @param extrapolationBins beyond the edge, every this many bins (8 bins = twice the surprise)
   *   doubles the odds — so a short history can still call a far-off value rarer than its length
   *   alone allows (0: no extrapolation)
   */
  constructor(
    private readonly decayEvery = 500,
    private readonly decay = 0.9,
    private readonly fullScoreOdds = 1e5,
    private readonly extrapolationBins = 0,
    prior = 0,
  ) {
    // A prior of `prior` pseudo-points with exponentially distributed |z| (mean 1): a short history can
    // then still call a 10-MAE surprise rare; real points outweigh it as they arrive and it decays.
    if (prior > 0) {
      for (let b = 0; b < BINS; b++) {
        const lo = Math.pow(2, b / 8) - 1;
        const hi = b === BINS - 1 ? Infinity : Math.pow(2, (b + 1) / 8) - 1;
        const mass = prior * (Math.exp(-lo) - Math.exp(-hi));
        this.counts[b] = mass;
        for (let i = b + 1; i <= BINS; i += i & -i) this.tree[i] += mass;
        this.total += mass;
      }
    }
  }

  static bin(absZ: number): number {
    const b = Math.floor(8 * Math.log2(1 + absZ));
    return b >= BINS ? BINS - 1 : b;
  }

  /** Scores |z| against the history, then adds it. Returns log-rarity in [0, 1]. */
  update(absZ: number, learn = true): number {
    const b = Rarity.bin(absZ);
    let upTo = 0; // Σ counts[0..b]
    for (let i = b + 1; i > 0; i -= i & -i) upTo += this.tree[i];
    const tail = this.total - upTo + 0.5 * this.counts[b];
    let odds = (this.total + 1) / (tail + 1);
    if (this.extrapolationBins > 0 && b > this.topBin && this.topBin >= 0) odds *= Math.pow(2, (b - this.topBin) / this.extrapolationBins);
    const score = Math.log(odds) / Math.log(this.fullScoreOdds);
    if (learn) {
      this.counts[b]++;
      for (let i = b + 1; i <= BINS; i += i & -i) this.tree[i]++;
      this.total++;
      if (b > this.topBin) this.topBin = b;
      if (++this.sinceDecay >= this.decayEvery) {
        this.sinceDecay = 0;
        for (let i = 0; i < BINS; i++) this.counts[i] *= this.decay;
        for (let i = 1; i <= BINS; i++) this.tree[i] *= this.decay;
        this.total *= this.decay;
        while (this.topBin >= 0 && this.counts[this.topBin] < 0.5) this.topBin--;
      }
    }
    return score <= 0 ? 0 : score >= 1 ? 1 : score;
  }
}
