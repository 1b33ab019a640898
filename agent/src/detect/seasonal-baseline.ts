/**
 * A streaming, robust seasonal baseline: one slot per `slotMinutes` of the week and of the day, each an
 * exponentially weighted mean updated with clipped residuals, so one spike barely moves it. A slot
 * answers only once it holds data from an earlier week (weekly) or day (daily): the weekly slot when it
 * can, the daily one before that. Bounded state: (slots per week + slots per day) × 8 bytes per series,
 * whatever the history length.
 */
const MINUTE_MS = 60_000;
const DAY_MIN = 1440;
/** 1970-01-01 was a Thursday; shifting by 3 days makes slot 0 Monday 00:00 UTC. */
const EPOCH_MONDAY_OFFSET_MIN = 3 * DAY_MIN;

export class SeasonalBaseline {
  private readonly weekly: Float32Array;
  private readonly weeklyFirst: Int32Array;
  private readonly daily: Float32Array;
  private readonly dailyFirst: Int32Array;
  private readonly slotMs: number;
  private readonly perWeek: number;
  private readonly perDay: number;

  /** `alpha`: weight of a new observation in its slot; `slotMinutes` must divide a day. */
  constructor(
    private readonly alpha = 0.1,
    slotMinutes = 60,
  ) {
    this.slotMs = slotMinutes * MINUTE_MS;
    this.perDay = Math.round(DAY_MIN / slotMinutes);
    this.perWeek = 7 * this.perDay;
    this.weekly = new Float32Array(this.perWeek);
    this.weeklyFirst = new Int32Array(this.perWeek).fill(-1);
    this.daily = new Float32Array(this.perDay);
    this.dailyFirst = new Int32Array(this.perDay).fill(-1);
  }

  /** Absolute slot number since the epoch (shifted so weeks start on Monday 00:00 UTC). */
  private abs(tMs: number): number {
    return Math.floor(tMs / this.slotMs) + (EPOCH_MONDAY_OFFSET_MIN * MINUTE_MS) / this.slotMs;
  }

  /** The seasonal expectation at t, or NaN while neither slot has history from an earlier period. */
  predict(tMs: number): number {
    const a = this.abs(tMs);
    const w = a % this.perWeek;
    if (this.weeklyFirst[w] >= 0 && a - this.weeklyFirst[w] >= this.perWeek) return this.weekly[w];
    const d = w % this.perDay;
    return this.dailyFirst[d] >= 0 && a - this.dailyFirst[d] >= this.perDay ? this.daily[d] : NaN;
  }

  /**
   * Learns x at t. `clip` bounds how far one observation can pull a slot (in the value's unit): the
   * robustness that keeps anomalies out of the baseline.
   */
  learn(tMs: number, x: number, clip: number): void {
    const a = this.abs(tMs);
    const w = a % this.perWeek;
    const d = w % this.perDay;
    if (this.weeklyFirst[w] < 0) {
      this.weeklyFirst[w] = a;
      this.weekly[w] = x;
    } else this.weekly[w] += this.alpha * clamp(x - this.weekly[w], clip);
    if (this.dailyFirst[d] < 0) {
      this.dailyFirst[d] = a;
      this.daily[d] = x;
    } else this.daily[d] += (this.alpha / 2) * clamp(x - this.daily[d], clip);
  }
}

function clamp(v: number, c: number): number {
  return v > c ? c : v < -c ? -c : v;
}
