/**
 * The level factor's two terms for each history point, for one generation of the forecaster's profile
 * cache: the point's profile (the cache's value, which never changes within a generation) and its
 * wedding-free actual (value − β·expected load; β changes only at a refit, which starts a new
 * generation). The level sums ~500 sampled points of its 48-hour window every tick; the window moves by
 * one point a tick, so each point's terms are worked out once per generation, into two dense arrays by
 * ring slot, and the tick's sum is a strided walk over them: the same numbers, added in the same order.
 *
 * A point without a profile (NaN) is skipped by the sum; it is stored as 0 and 0, which adds nothing to
 * either sum (x + 0 is x to the bit for any x but −0, and a sum that starts at +0 is never −0).
 *
 * Only for a calendar fixed while the forecaster runs (the replay's point memory); the newest point, whose
 * value still moves while its bucket fills, is never kept.
 */
export class LevelMemory {
  /** By ring slot: the point's profile, and its actual; 0 and 0 for a point without a profile. */
  readonly profile: Float64Array;
  readonly actual: Float64Array;
  private context: object | null = null;
  private generation = -1;
  /** History points with sequence numbers [fromSeq, toSeq) hold this generation's terms. */
  private fromSeq = 0;
  private toSeqExclusive = 0;

  constructor(capacity: number) {
    this.profile = new Float64Array(capacity);
    this.actual = new Float64Array(capacity);
  }

  /** The first point (by sequence number) not yet kept. */
  get toSeq(): number {
    return this.toSeqExclusive;
  }

  /**
   * Makes the kept run usable from point `startSeq` on: forgets it when another context answers the
   * calendar, the generation changed, or the run does not reach `startSeq` (origins jumped).
   */
  prepare(context: object, generation: number, startSeq: number): void {
    if (context === this.context && generation === this.generation && startSeq >= this.fromSeq && startSeq <= this.toSeqExclusive) return;
    this.context = context;
    this.generation = generation;
    this.fromSeq = startSeq;
    this.toSeqExclusive = startSeq;
  }

  /** Keeps the next point's terms (its sequence number is `toSeq`); NaN profiles as 0 and 0. */
  keep(slot: number, profile: number, actual: number): void {
    const known = profile === profile;
    this.profile[slot] = known ? profile : 0;
    this.actual[slot] = known ? actual : 0;
    this.toSeqExclusive++;
  }
}
