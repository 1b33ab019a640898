/**
 * The calendar prepared for instant queries, kept compact (issue 24, defect 5): the sources' packed
 * calendars as they are (each's days already sorted by ceremony start), so building it is immediate and
 * costs no copy. A query binary-searches each source and makes WeddingDay objects only for the days it
 * returns. A wedding id present in several sources counts once, from the first source that has it.
 */
import type { WeddingRules } from '../config/schema';
import { PHASES, type Wedding, type WeddingCalendar, type WeddingDay } from './model';
import { isoDate, weddingAt, weddingIdAt, type CompactCalendar } from './compact-calendar';
import { lowerBound, upperBound } from '../util/sorted-search';

const HOUR_MS = 3_600_000;
/** WeddingDay objects kept per source for repeated queries (a few days' worth of weddings, bounded). */
const MADE_DAYS = 4_096;

export class CalendarIndex {
  /** Longest window, bounding how far back a live day can have started. */
  readonly maxWindowMs: number;
  /** Window start and end relative to the ceremony start (the rules' phases). */
  private readonly fromCeremonyMs: number;
  private readonly toCeremonyMs: number;
  /** Per source, 1 for a wedding an earlier source already lists (null: none). */
  private readonly hidden: Array<Uint8Array | null>;
  /** Weddings, counting an id listed by several sources once. */
  readonly weddingCount: number;

  constructor(
    readonly parts: readonly CompactCalendar[],
    readonly rules: WeddingRules,
  ) {
    this.fromCeremonyMs = Math.min(...PHASES.map((p) => rules.phases[p][0])) * HOUR_MS;
    this.toCeremonyMs = Math.max(...PHASES.map((p) => rules.phases[p][1])) * HOUR_MS;
    this.maxWindowMs = parts.some((p) => p.dayCount > 0) ? this.toCeremonyMs - this.fromCeremonyMs : 0;
    this.hidden = parts.map(() => null);
    this.made = parts.map(() => new Map<number, WeddingDay>());
    let count = parts[0]?.count ?? 0;
    if (parts.filter((p) => p.count > 0).length > 1) {
      const seen = new Set<string>();
      parts.forEach((p, s) => {
        const hide = new Uint8Array(p.count);
        for (let i = 0; i < p.count; i++) if (seen.has(weddingIdAt(p, i))) hide[i] = 1;
        // Repeated ids inside one source are all kept (two entries someone made); only later sources' are hidden.
        for (let i = 0; i < p.count; i++) seen.add(weddingIdAt(p, i));
        if (s > 0) {
          this.hidden[s] = hide;
          count += p.count - hide.reduce((a, b) => a + b, 0);
        }
      });
    } else count = parts.reduce((a, p) => a + p.count, 0);
    this.weddingCount = count;
  }

  private multiplier(p: CompactCalendar, w: number): number {
    const t = p.traditions[p.tradition[w]];
    return this.rules.traditions[t.toLowerCase()] ?? this.rules.defaultTraditionMultiplier;
  }

  /** Days already made, per source: ticks and replays ask about the same few days again and again. */
  private readonly made: Array<Map<number, WeddingDay>>;
  /** Per zone filter (the targets' own arrays), per source: the indexes of the zones it names. */
  private readonly zoneSets = new WeakMap<readonly string[], Array<Set<number>>>();

  private zonesOf(timezones: readonly string[], s: number): Set<number> {
    let sets = this.zoneSets.get(timezones);
    if (!sets) this.zoneSets.set(timezones, (sets = this.parts.map((p) => new Set(p.zones.flatMap((z, i) => (timezones.includes(z) ? [i] : []))))));
    return sets[s];
  }

  private dayOf(p: CompactCalendar, s: number, k: number): WeddingDay {
    const made = this.made[s];
    let day = made.get(k);
    if (!day) {
      if (made.size >= MADE_DAYS) made.clear();
      made.set(k, (day = this.makeDay(p, k)));
    }
    return day;
  }

  private makeDay(p: CompactCalendar, k: number): WeddingDay {
    const w = p.dayWedding[k];
    const wedding = weddingAt(p, w);
    const start = p.ceremonyStartMs[k];
    return {
      wedding,
      dayIndex: p.dayIndex[k],
      ceremonyStartMs: start,
      windowStartMs: start + this.fromCeremonyMs,
      windowEndMs: start + this.toCeremonyMs,
      localDate: isoDate(p.localDate[k]),
      localWeekday: p.localWeekday[k],
      loadAtFactorOne: p.guests[w] * this.multiplier(p, w) * this.rules.perGuestLoad,
    };
  }

  /** Wedding days whose live window [start, end) overlaps [from, to), sorted by window start. */
  overlapping(fromMs: number, toMs: number, timezones: readonly string[] = []): WeddingDay[] {
    const out: WeddingDay[] = [];
    // Every window has the same length, so window start and end both follow ceremony start's order.
    const firstCeremony = fromMs - this.toCeremonyMs;
    const lastCeremony = toMs - this.fromCeremonyMs;
    this.parts.forEach((p, s) => {
      const hide = this.hidden[s];
      const zones = timezones.length ? this.zonesOf(timezones, s) : null;
      for (let k = lowerBound(p.ceremonyStartMs, p.dayCount, firstCeremony); k < p.dayCount; k++) {
        const start = p.ceremonyStartMs[k];
        if (start >= lastCeremony) break;
        if (start <= firstCeremony) continue;
        const w = p.dayWedding[k];
        if (hide?.[w] || (zones && !zones.has(p.zone[w]))) continue;
        out.push(this.dayOf(p, s, k));
      }
    });
    if (this.parts.length > 1) out.sort((a, b) => a.windowStartMs - b.windowStartMs);
    return out;
  }

  /**
   * Per source, the range [lo, hi) of days `overlapping(t, t + 1)` walks (before its zone and duplicate
   * filters), written into `into` at [2s, 2s + 1]. Equal ranges at two instants mean the same candidate
   * days, in the same order: calendar/live-cursor.ts reuses an answer on that ground.
   */
  candidateRanges(t: number, into: Int32Array): void {
    // The ceremony starts bounding the days live at t, computed exactly as overlapping(t, t + 1) does.
    const first = t - this.toCeremonyMs;
    const last = t + 1 - this.fromCeremonyMs;
    this.parts.forEach((p, s) => {
      const lo = upperBound(p.ceremonyStartMs, p.dayCount, first);
      into[2 * s] = lo;
      into[2 * s + 1] = Math.max(lo, lowerBound(p.ceremonyStartMs, p.dayCount, last));
    });
  }

  /** Whether `ranges` (candidateRanges at an earlier instant) are the candidate ranges at `t` too: O(1) per source. */
  sameCandidates(t: number, ranges: Int32Array): boolean {
    const first = t - this.toCeremonyMs;
    const last = t + 1 - this.fromCeremonyMs;
    for (let s = 0; s < this.parts.length; s++) {
      const p = this.parts[s];
      const a = p.ceremonyStartMs;
      const n = p.dayCount;
      const lo = ranges[2 * s];
      const hi = ranges[2 * s + 1];
      // lo: the first day starting after `first`; hi: the first from lo on starting at or after `last`.
      if ((lo > 0 && !(a[lo - 1] <= first)) || (lo < n && !(a[lo] > first))) return false;
      if ((hi > lo && !(a[hi - 1] < last)) || (hi < n && !(a[hi] >= last))) return false;
    }
    return true;
  }

  /**
   * An instant before which `ranges` (candidateRanges at some t0) stay the candidate ranges for every t ≥ t0:
   * the next ceremony start to pass either bound, less a millisecond (far more than any rounding here).
   */
  candidatesHoldUntil(ranges: Int32Array): number {
    let until = Infinity;
    for (let s = 0; s < this.parts.length; s++) {
      const p = this.parts[s];
      const lo = ranges[2 * s];
      const hi = ranges[2 * s + 1];
      // lo moves once t − toCeremony reaches the start of day lo; hi once t + 1 − fromCeremony passes day hi's.
      if (lo < p.dayCount) until = Math.min(until, p.ceremonyStartMs[lo] + this.toCeremonyMs - 1);
      if (hi < p.dayCount) until = Math.min(until, p.ceremonyStartMs[hi] + this.fromCeremonyMs - 2);
    }
    return until;
  }

  /** Whether any wedding (in one of these zones; empty = all) is in the index. */
  hasWeddings(timezones: readonly string[] = []): boolean {
    return this.parts.some((p, s) => {
      const zones = new Set(p.zones.flatMap((z, i) => (!timezones.length || timezones.includes(z) ? [i] : [])));
      for (let w = 0; w < p.count; w++) if (!this.hidden[s]?.[w] && zones.has(p.zone[w])) return true;
      return false;
    });
  }

  /** Every day, made into objects: for tests and small calendars only (queries use overlapping). */
  get days(): WeddingDay[] {
    return this.overlapping(-Infinity, Infinity);
  }
}

/**
 * The sources' packed calendars in force, in the sources' order, as a WeddingCalendar: indexCalendar uses
 * the packed form as it is; `weddings` (the CLI, backtests, tests) makes the objects only when asked. A
 * wedding id present in several sources is taken from the first source that has it; within one source
 * every wedding is kept, a repeated id too (two events of one feed are two entries someone made).
 */
export class PackedCalendars implements WeddingCalendar {
  constructor(readonly parts: readonly CompactCalendar[]) {}

  get weddings(): Wedding[] {
    const seen = new Set<string>();
    const weddings: Wedding[] = [];
    for (const c of this.parts) {
      const own = Array.from({ length: c.count }, (_, i) => weddingAt(c, i));
      for (const w of own) if (!seen.has(w.id)) weddings.push(w);
      for (const w of own) seen.add(w.id);
    }
    return weddings;
  }
}
