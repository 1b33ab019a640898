/**
 * What the seasonal profile of each history point reads (the values at t − k·lag and the expected wedding
 * load there), kept per ring slot of the history. The forecaster's level and its hourly refit read the
 * profile of thousands of past points; their inputs never change once no newer point can land near them,
 * so they are searched once and then only re-combined (β changes at each refit, the inputs do not).
 *
 * An entry is right while its point still holds the slot, the lag and tolerance are the same, and no point
 * it could have read has been evicted since: the oldest point is unchanged, or no older than the start of
 * every window (t − k·lag ± tol) that reached the history when the entry was read. A window wholly before
 * the history then finds nothing now either (points are only ever evicted from the old end, and added
 * at the new end, past every window of a stable entry). Opt-in (`pointMemory`): about 16 bytes × (weeks + 1) per history point, worth it in a replay,
 * not in an agent watching twenty targets, whose calendar can also change between two ticks.
 */
export class ProfileInputMemory {
  /** Values read at t − k·lag (only those found), and the expected wedding load at the same instants. */
  readonly v: Float64Array;
  readonly w: Float64Array;
  readonly n: Uint8Array;
  /** The wedding-free (β = 0) profile of the entry, once computed (the refit's reading). */
  readonly fit: Float64Array;
  readonly fitKnown: Uint8Array;
  /** 1 when every expected wedding load the entry read is 0: its profile is the wedding-free one whatever β. */
  readonly weddingFree: Uint8Array;
  private readonly time: Float64Array;
  private readonly lag: Float64Array;
  private readonly tol: Float64Array;
  private readonly oldest: Float64Array;
  /** The start of the oldest window that reached the history when the entry was read (Infinity: none). */
  private readonly safeOldest: Float64Array;
  /** The calendar (forecast context) the wedding loads came from: another one forgets everything. */
  private calendar: object | null = null;

  constructor(
    capacity: number,
    /** Most lags a profile reads (weeks, or 7 days). */
    readonly stride: number,
  ) {
    this.v = new Float64Array(capacity * stride);
    this.w = new Float64Array(capacity * stride);
    this.n = new Uint8Array(capacity);
    this.fit = new Float64Array(capacity);
    this.fitKnown = new Uint8Array(capacity);
    this.weddingFree = new Uint8Array(capacity);
    this.time = new Float64Array(capacity).fill(NaN);
    this.lag = new Float64Array(capacity);
    this.tol = new Float64Array(capacity);
    this.oldest = new Float64Array(capacity);
    this.safeOldest = new Float64Array(capacity);
  }

  /** Forgets every entry when the context answering wedding loads is another one (a replay passes one for good). */
  useCalendar(context: object): void {
    if (this.calendar === context) return;
    this.calendar = context;
    this.time.fill(NaN);
  }

  /** Is the entry in `slot` still the profile input of point t, read with `lag` and `tol` (`count` lags back)? */
  holds(slot: number, t: number, lag: number, count: number, tol: number, oldest: number): boolean {
    // safeOldest ≥ t − count·lag − tol (the rule before it: every window whole), so this keeps at least as long.
    return (
      this.time[slot] === t &&
      this.lag[slot] === lag &&
      this.tol[slot] === tol &&
      (this.oldest[slot] === oldest || oldest <= this.safeOldest[slot] || oldest <= t - count * lag - tol)
    );
  }

  /** Marks the inputs just written at `slot` as point t's; `stable` false keeps them for this reading only. */
  keep(slot: number, t: number, lag: number, tol: number, oldest: number, safeOldest: number, n: number, stable: boolean): void {
    this.n[slot] = n;
    this.fitKnown[slot] = 0;
    if (!stable) {
      this.time[slot] = NaN;
      return;
    }
    this.time[slot] = t;
    this.lag[slot] = lag;
    this.tol[slot] = tol;
    this.oldest[slot] = oldest;
    this.safeOldest[slot] = safeOldest;
  }
}
