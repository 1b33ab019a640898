import { upperBound } from '../util/sorted-search';

/**
 * What the hourly refit read from history, kept between refits when nothing it read can change.
 *
 * The refit samples every `stride`-th history point from the oldest (~3,000 points) and, for each, works
 * out the wedding excess over the wedding-free profile (for β) and the relative error (for the band). With
 * the same stride, the same oldest point and a calendar fixed while the forecaster runs, the next refit
 * samples the same points plus the new ones at the end: their samples are kept, in the order they were
 * read, and only the new points are read. The fit's sums then run over the same arrays in the same order,
 * and the band's quantiles read the same sorted values: the same numbers to the bit.
 *
 * The newest point (its value still moves while its bucket fills) is read for one refit only (`keep` false).
 */
export class RefitSamples {
  /** Expected wedding load and excess over the profile, where the calendar expects weddings (β's fit). */
  readonly xs: number[] = [];
  readonly ys: number[] = [];
  /** Relative errors elsewhere: [0, sorted) ascending, then those not yet placed. */
  private rel = new Float64Array(1024);
  private nRel = 0;
  private sorted = 0;
  /** Samples kept for good (the rest are this refit's only). */
  private keptFit = 0;
  /** The relative error read for this refit only (NaN: none); relative errors are never NaN. */
  private unkeptRel = NaN;
  private scratch = new Float64Array(0);
  /** The next history index to sample. */
  next = 0;
  private context: object | null = null;
  private lag = NaN;
  private count = NaN;
  private tol = NaN;
  private stride = NaN;
  private firstSeq = NaN;

  /**
   * Starts a refit over history indexes [0, end) read with these settings: keeps what the last refit
   * read when it was read the same way (`remember`: a fixed calendar), else starts afresh.
   */
  begin(remember: boolean, context: object, lag: number, count: number, tol: number, stride: number, firstSeq: number, end: number): void {
    this.dropUnkept();
    const same =
      remember &&
      context === this.context &&
      lag === this.lag &&
      count === this.count &&
      tol === this.tol &&
      stride === this.stride &&
      firstSeq === this.firstSeq &&
      end >= this.next;
    if (same) return;
    this.context = context;
    this.lag = lag;
    this.count = count;
    this.tol = tol;
    this.stride = stride;
    this.firstSeq = firstSeq;
    this.next = 0;
    this.xs.length = 0;
    this.ys.length = 0;
    this.nRel = 0;
    this.sorted = 0;
    this.keptFit = 0;
  }

  addFit(x: number, y: number, keep: boolean): void {
    this.xs.push(x);
    this.ys.push(y);
    if (keep) this.keptFit = this.xs.length;
  }

  addRel(r: number, keep: boolean): void {
    if (!keep) {
      this.unkeptRel = r;
      return;
    }
    if (this.nRel === this.rel.length) {
      const grown = new Float64Array(this.rel.length * 2);
      grown.set(this.rel);
      this.rel = grown;
    }
    this.rel[this.nRel++] = r;
  }

  get relCount(): number {
    return this.nRel + (this.unkeptRel === this.unkeptRel ? 1 : 0);
  }

  /** Every relative error read, ascending (as `sort()` orders a typed array). */
  sortedRel(): Float64Array {
    const rel = this.rel;
    if (this.nRel - this.sorted > 64) rel.subarray(0, this.nRel).sort();
    else for (let i = this.sorted; i < this.nRel; i++) insertSorted(rel, i, rel[i]);
    this.sorted = this.nRel;
    const extra = this.unkeptRel;
    if (extra !== extra) return rel.subarray(0, this.nRel);
    if (this.scratch.length < this.nRel + 1) this.scratch = new Float64Array(this.rel.length + 1);
    const out = this.scratch;
    out.set(rel.subarray(0, this.nRel));
    insertSorted(out, this.nRel, extra);
    return out.subarray(0, this.nRel + 1);
  }

  /** Forgets the samples read for one refit only (the newest point's). */
  private dropUnkept(): void {
    this.xs.length = this.keptFit;
    this.ys.length = this.keptFit;
    this.unkeptRel = NaN;
  }
}

/** Places v into sorted values[0, n) (after any equal ones), making values[0, n] sorted. */
function insertSorted(values: Float64Array, n: number, v: number): void {
  const at = upperBound(values, n, v);
  values.copyWithin(at + 1, at, n);
  values[at] = v;
}
