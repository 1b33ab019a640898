/**
 * One source's upcoming weddings in a compact form (issue 24, defect 5): typed arrays and one string, not
 * an object per wedding and per day. 100k weddings as objects (Wedding + WeddingDay, twice during a
 * refresh) filled the pod's 96 MB V8 heap and aborted it; packed they take about 10 MB, mostly outside
 * the heap, and cross from the parsing worker thread to the main thread by transfer, not by a copy per
 * object. Everything here is independent of the wedding rules: the time-zone work (luxon) happens once,
 * in packCalendar, and the rules (phases, multipliers) are applied when the index answers a query.
 */
import type { Wedding } from './model';
import { sameWallClockDaysLater } from './zone-offsets';
import { isIanaZone } from './zone-cache';
import { isoInstant } from './iso-instant';

const DAY_MS = 86_400_000;

/** The wedding's start instant; throws naming the wedding when its start or zone is invalid. */
function instantOf(w: Wedding): number {
  const at = isoInstant(w.start);
  if (!Number.isFinite(at) || !isIanaZone(w.timezone)) throw new Error(`wedding ${w.id}: invalid start "${w.start}" or time zone "${w.timezone}"`);
  return at;
}

export interface CompactCalendar {
  /** Weddings. */
  count: number;
  /** Each wedding's id, title and start (ISO), back to back; textEnds[3i..3i+2] are where each ends. */
  text: string;
  textEnds: Uint32Array;
  /** Distinct time zones and traditions; zone[i] and tradition[i] index them. */
  zones: string[];
  traditions: string[];
  zone: Uint32Array;
  tradition: Uint32Array;
  days: Uint32Array;
  guests: Float64Array;
  vendors: Float64Array;
  /** start + (days + 1) days: until when the drop guard counts the wedding upcoming. */
  endMs: Float64Array;
  /** Celebration days, sorted by ceremony start. */
  dayCount: number;
  dayWedding: Uint32Array;
  dayIndex: Uint32Array;
  ceremonyStartMs: Float64Array;
  /** Local date of the ceremony as yyyymmdd, and its ISO weekday (1 = Monday … 7 = Sunday). */
  localDate: Uint32Array;
  localWeekday: Uint8Array;
}

/** The buffers to transfer (not copy) when a compact calendar is posted to another thread. */
export function transferList(c: CompactCalendar): ArrayBuffer[] {
  return [c.textEnds, c.zone, c.tradition, c.days, c.guests, c.vendors, c.endMs, c.dayWedding, c.dayIndex, c.ceremonyStartMs, c.localDate, c.localWeekday].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

function tableIndex(table: string[], known: Map<string, number>, s: string): number {
  let i = known.get(s);
  if (i === undefined) {
    i = table.length;
    table.push(s);
    known.set(s, i);
  }
  return i;
}

/**
 * Packs weddings and expands each into its celebration days (each day keeps the first day's local
 * wall-clock start, across DST changes). Throws naming the wedding when its start or zone is invalid.
 */
export function packCalendar(weddings: readonly Wedding[]): CompactCalendar {
  const n = weddings.length;
  const textEnds = new Uint32Array(3 * n);
  const zones: string[] = [];
  const traditions: string[] = [];
  const zoneOf = new Map<string, number>();
  const traditionOf = new Map<string, number>();
  const c = {
    zone: new Uint32Array(n),
    tradition: new Uint32Array(n),
    days: new Uint32Array(n),
    guests: new Float64Array(n),
    vendors: new Float64Array(n),
    endMs: new Float64Array(n),
  };
  const parts: string[] = [];
  let at = 0;
  const dayCount = weddings.reduce((s, w) => s + Math.max(1, w.days), 0);
  const dayWedding = new Uint32Array(dayCount);
  const dayIndex = new Uint32Array(dayCount);
  const ceremony = new Float64Array(dayCount);
  const date = new Uint32Array(dayCount);
  const weekday = new Uint8Array(dayCount);
  let k = 0;
  weddings.forEach((w, i) => {
    for (const [j, s] of [w.id, w.title, w.start].entries()) {
      parts.push(s);
      at += s.length;
      textEnds[3 * i + j] = at;
    }
    c.zone[i] = tableIndex(zones, zoneOf, w.timezone);
    c.tradition[i] = tableIndex(traditions, traditionOf, w.tradition);
    c.days[i] = w.days;
    c.guests[i] = w.guests;
    c.vendors[i] = w.vendors;
    c.endMs[i] = Date.parse(w.start) + (w.days + 1) * DAY_MS;
    const startMs = instantOf(w);
    for (let d = 0; d < Math.max(1, w.days); d++, k++) {
      // The same wall-clock time each day across DST changes: a 14:00 ceremony stays at 14:00.
      const local = sameWallClockDaysLater(w.timezone, startMs, d);
      dayWedding[k] = i;
      dayIndex[k] = d;
      ceremony[k] = local.ms;
      date[k] = local.date;
      weekday[k] = local.weekday;
    }
  });
  // Sorted by ceremony start; ties keep the calendar's order (wedding, then day).
  const order = new Uint32Array(dayCount).map((_, i) => i).sort((a, b) => ceremony[a] - ceremony[b] || a - b);
  const by = <T extends Uint32Array | Float64Array | Uint8Array>(src: T): T => src.map((_, i) => src[order[i]]) as T;
  return {
    count: n,
    text: parts.join(''),
    textEnds,
    zones,
    traditions,
    ...c,
    dayCount,
    dayWedding: by(dayWedding),
    dayIndex: by(dayIndex),
    ceremonyStartMs: by(ceremony),
    localDate: by(date),
    localWeekday: by(weekday),
  };
}

const textAt = (c: CompactCalendar, i: number, j: number): string => c.text.slice(i === 0 && j === 0 ? 0 : c.textEnds[3 * i + j - 1], c.textEnds[3 * i + j]);

export const weddingIdAt = (c: CompactCalendar, i: number): string => textAt(c, i, 0);

/** Wedding `i` as an object (made on demand, for the few a query returns). */
export function weddingAt(c: CompactCalendar, i: number): Wedding {
  return {
    id: textAt(c, i, 0),
    title: textAt(c, i, 1),
    start: textAt(c, i, 2),
    timezone: c.zones[c.zone[i]],
    days: c.days[i],
    guests: c.guests[i],
    tradition: c.traditions[c.tradition[i]],
    vendors: c.vendors[i],
  };
}

/** yyyymmdd → YYYY-MM-DD. */
export function isoDate(yyyymmdd: number): string {
  const s = String(yyyymmdd).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`;
}

/** Weddings not over by `nowMs` (with a day's margin for the last evening). */
export function upcomingIn(c: CompactCalendar, nowMs: number): number {
  let n = 0;
  for (let i = 0; i < c.count; i++) if (!(c.endMs[i] <= nowMs)) n++;
  return n;
}
