/**
 * The weddings live at an instant, for one zone filter, remembered between questions. Ticks (and every
 * simulated minute of a replay, and the planner's one-minute look-ahead scan) ask about instants close
 * together, and the answer changes only when a wedding window opens or closes or a live wedding changes
 * phase: hours apart. The answer is always exactly liveWeddings(index, t, timezones) and its weddingLoad;
 * it is reused over an interval of instants where it was proved to be that:
 *
 * - The candidate days (CalendarIndex.candidateRanges) only move forward as t grows, so the same ranges
 *   at both ends of an interval are the same ranges all through it.
 * - A candidate's phase depends only on h = (t − ceremony start) / 1 h, computed as phaseAt computes it,
 *   which never decreases as t grows. Its "slot" (how many phase bounds h has reached) never decreases
 *   either and decides the phase, so the same slot at both ends is the same phase all through.
 *
 * So the cursor keeps [tMin, tMax], the instants its answer was checked at, and widens it when a new
 * instant checks out; inside it, nothing is computed at all.
 */
import type { WeddingDay, WeddingPhase } from './model';
import { PHASES } from './model';
import { daysOverlapping, phaseAt, weddingLoad, type CalendarIndex, type LiveWedding } from './rules';

const HOUR_MS = 3_600_000;

export interface LiveAnswer {
  /** liveWeddings(index, t, timezones) */
  live: LiveWedding[];
  /** weddingLoad(index, live) */
  load: number;
}

export class LiveCursor {
  /** Per source, the candidate days' range the answer was computed from (CalendarIndex.candidateRanges). */
  private readonly ranges: Int32Array;
  /** Every phase's start and end (hours from the ceremony), sorted: a slot is how many of them h has reached. */
  private readonly bounds: Float64Array;
  /** The candidate days (zone-filtered), in order, and each one's slot. */
  private days: WeddingDay[] = [];
  private slots = new Int32Array(0);
  private answer: LiveAnswer | null = null;
  /** The answer holds at every instant of [tMin, tMax] (NaN: no answer yet). */
  private tMin = NaN;
  private tMax = NaN;
  /**
   * And at every instant of [tMin, safeUntil): before it no candidate day enters or leaves and no
   * candidate reaches its next phase bound (each less a millisecond: see safeLimit).
   */
  private safeUntil = -Infinity;

  constructor(
    readonly index: CalendarIndex,
    readonly timezones: readonly string[],
  ) {
    this.ranges = new Int32Array(2 * index.parts.length);
    this.bounds = Float64Array.from(PHASES.flatMap((p) => index.rules.phases[p])).sort();
  }

  /** The live weddings and their load at `t`; the same object as last time while nothing changed. */
  at(t: number): LiveAnswer {
    if (t >= this.tMin && (t <= this.tMax || t < this.safeUntil)) return this.answer!;
    if (this.answer !== null && this.sameAt(t)) {
      if (t < this.tMin) this.tMin = t;
      else this.tMax = t;
      return this.answer;
    }
    const { index } = this;
    const days = daysOverlapping(index, t, t + 1, this.timezones);
    const slots = new Int32Array(days.length);
    const live: LiveWedding[] = [];
    for (let i = 0; i < days.length; i++) {
      const phase: WeddingPhase | null = phaseAt(days[i], index.rules, t);
      slots[i] = this.slotOf(days[i], t);
      if (phase) live.push({ day: days[i], phase });
    }
    index.candidateRanges(t, this.ranges);
    this.days = days;
    this.slots = slots;
    this.answer = { live, load: weddingLoad(index, live) };
    // A NaN instant proves nothing: the interval stays empty and the next question computes afresh.
    this.tMin = t;
    this.tMax = t;
    this.safeUntil = this.safeLimit();
    return this.answer;
  }

  /**
   * The first instant at which, going forward, a candidate could enter or leave or change slot, less a
   * millisecond. Slot s of a day starting at c lasts while (t − c) / 1 h < bounds[s]; t < c + bounds[s]·1 h − 1 ms
   * keeps it so whatever the rounding (instants are whole milliseconds near 10^12 ms: rounding is ~10^-4 ms,
   * and the division adds a relative 10^-16).
   */
  private safeLimit(): number {
    const { days, slots, bounds } = this;
    let until = this.index.candidatesHoldUntil(this.ranges);
    for (let i = 0; i < days.length; i++) if (slots[i] < bounds.length) until = Math.min(until, days[i].ceremonyStartMs + bounds[slots[i]] * HOUR_MS - 1);
    return until;
  }

  /** Whether the candidates and every candidate's slot at `t` are those of the answer. */
  private sameAt(t: number): boolean {
    if (!this.index.sameCandidates(t, this.ranges)) return false;
    const { days, slots } = this;
    for (let i = 0; i < days.length; i++) if (this.slotOf(days[i], t) !== slots[i]) return false;
    return true;
  }

  /** How many phase bounds h has reached (h as phaseAt computes it): within a slot every `a ≤ h < b` test has one answer. */
  private slotOf(day: WeddingDay, t: number): number {
    const h = (t - day.ceremonyStartMs) / HOUR_MS;
    const { bounds } = this;
    let slot = 0;
    while (slot < bounds.length && h >= bounds[slot]) slot++;
    return slot;
  }
}
