/**
 * A streaming, robust seasonal baseline: one slot per hour of the week (168) and per hour of the day
 * (24), each an exponentially weighted mean updated with clipped residuals, so one spike barely moves
 * it. A slot answers only once it holds data from an earlier week (weekly) or day (daily): the weekly
 * slot when it can, the daily one before that. Bounded state: 192 means and first-seen hours per
 * series, whatever the history length.
 */
const HOUR_MS = 3_600_000;
const WEEK_HOURS = 168;
/** 1970-01-01 was a Thursday; shifting by 3 days makes slot 0 Monday 00:00 UTC. */
const EPOCH_MONDAY_OFFSET_H = 72;

export class SeasonalBaseline {
  private readonly weekly = new Float64Array(WEEK_HOURS);
  private readonly weeklyFirstH = new Int32Array(WEEK_HOURS).fill(-1);
  private readonly daily = new Float64Array(24);
  private readonly dailyFirstH = new Int32Array(24).fill(-1);

  /** `alpha`: weight of a new observation in its slot. */
  constructor(private readonly alpha = 0.1) {}

  /** Hour of the week (0 = Monday 00:00 UTC, or local time when the caller shifts t). */
  static slot(tMs: number): number {
    const h = Math.floor(tMs / HOUR_MS) + EPOCH_MONDAY_OFFSET_H;
    return ((h % WEEK_HOURS) + WEEK_HOURS) % WEEK_HOURS;
  }

  /** The seasonal expectation at t, or NaN while neither slot has enough history. */
  predict(tMs: number): number {
    const h = Math.floor(tMs / HOUR_MS);
    const w = SeasonalBaseline.slot(tMs);
    if (this.weeklyFirstH[w] >= 0 && h - this.weeklyFirstH[w] >= WEEK_HOURS) return this.weekly[w];
    const d = w % 24;
    return this.dailyFirstH[d] >= 0 && h - this.dailyFirstH[d] >= 24 ? this.daily[d] : NaN;
  }

  /** True once the weekly slot at t holds data from an earlier week. */
  hasWeekly(tMs: number): boolean {
    const w = SeasonalBaseline.slot(tMs);
    return this.weeklyFirstH[w] >= 0 && Math.floor(tMs / HOUR_MS) - this.weeklyFirstH[w] >= WEEK_HOURS;
  }

  /**
   * Learns x at t. `clip` bounds how far one observation can pull a slot (in the value's unit): the
   * robustness that keeps anomalies out of the baseline.
   */
  learn(tMs: number, x: number, clip: number): void {
    const h = Math.floor(tMs / HOUR_MS);
    const w = SeasonalBaseline.slot(tMs);
    const d = w % 24;
    if (this.weeklyFirstH[w] < 0) {
      this.weeklyFirstH[w] = h;
      this.weekly[w] = x;
    } else this.weekly[w] += this.alpha * clamp(x - this.weekly[w], clip);
    if (this.dailyFirstH[d] < 0) {
      this.dailyFirstH[d] = h;
      this.daily[d] = x;
    } else this.daily[d] += (this.alpha / 2) * clamp(x - this.daily[d], clip);
  }
}

function clamp(v: number, c: number): number {
  return v > c ? c : v < -c ? -c : v;
}
