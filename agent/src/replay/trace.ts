/**
 * Reads a trace folder (the format of data/traces: trace.csv, calendar.json, meta.json). Irregular rows
 * in trace.csv are counted and handled by REPLAY_RULES; every refusal names the file, the field or line,
 * and what is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonCalendar } from '../calendar/json-reader';
import { allEventsRead } from '../calendar/calendar-issues';
import type { WeddingCalendar } from '../calendar/model';
import type { CalendarSourceConfig } from '../config/schema';
import { describeIssues, noIssues, parseSeriesCsv, type IssueKind, type SeriesCsv, type SeriesIssues } from '../detect/series-csv';

export const traceMetaSchema = z
  .object({
    podCapacityRps: z.number().positive(),
    podStartupSeconds: z.number().positive(),
    minReplicas: z.number().int().min(0),
    maxReplicas: z.number().int().min(1),
    targetUtilization: z.number().gt(0).max(1),
    stepSeconds: z.number().positive(),
    start: z.iso.datetime({ offset: true }),
    minutes: z.number().int().positive(),
  })
  .loose();

export type TraceMeta = z.infer<typeof traceMetaSchema>;

export interface Trace {
  dir: string;
  meta: TraceMeta;
  startMs: number;
  stepMs: number;
  /** Demand per step (requests/s), index k at startMs + k·stepMs; steps without a reading hold the last value before. */
  demand: Float64Array;
  /** 1 at steps that had no reading (gaps): the agent is not shown them, as in a source outage. */
  missing?: Uint8Array;
  demandIssues?: DemandSeries['issues'];
  calendar: WeddingCalendar;
  /** Where the agent's calendar comes from; default: the folder's calendar.json. */
  calendarSources?: CalendarSourceConfig[];
}

export class TraceError extends Error {
  override name = 'TraceError';
}

function readText(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), 'utf8');
  } catch (err) {
    throw new TraceError(`${join(dir, file)}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

export function parseMeta(text: string, origin: string): TraceMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new TraceError(`${origin}: not JSON: ${(err as Error).message}`);
  }
  const r = traceMetaSchema.safeParse(raw);
  if (!r.success) throw new TraceError(`${origin}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  if (r.data.minReplicas > r.data.maxReplicas)
    throw new TraceError(`${origin}: minReplicas (${r.data.minReplicas}) is above maxReplicas (${r.data.maxReplicas})`);
  return r.data;
}

/** Demand on the trace's step grid, with the steps no row filled and what was irregular in the file. */
export interface DemandSeries {
  demand: Float64Array;
  /** 1 where no usable row fell on the step: the agent sees no reading there (as in an outage). */
  missing: Uint8Array;
  issues: SeriesIssues & { offGrid: number; outOfRange: number };
}

/**
 * What replay does with each kind of irregular row. The trace is a step grid from meta.start, so every
 * row lands on the step its timestamp names (nearest step).
 */
export const REPLAY_RULES: Partial<Record<IssueKind, string>> = {
  backward: 'placed at its own timestamp',
  duplicate: 'last value wins',
  gaps: 'the agent sees no reading there; policies are scored with the last value before',
  empty: 'left out',
  nonNumeric: 'left out',
  badTimestamp: 'left out',
};

/**
 * Parses `timestamp,demand_rps` rows onto `steps` steps from `startMs`. Irregular rows are counted
 * (REPLAY_RULES), rows off the grid are put on the nearest step, rows outside it are left out; only a
 * wrong header, a negative demand or a file with no usable row inside the grid is refused.
 */
export function parseDemandCsv(text: string, origin: string, startMs: number, stepMs: number, steps: number): DemandSeries {
  const first = text.slice(0, text.search(/\r?\n|$/));
  if (first.trim() !== 'timestamp,demand_rps')
    throw new TraceError(`${origin}: line 1: expected the header "timestamp,demand_rps", found "${first.slice(0, 60)}"`);
  const { demand, missing, issues } = readGridRows(text, startMs, stepMs, steps) ?? readAnyRows(text, origin, startMs, stepMs, steps);
  const filled = fillGaps(demand, missing);
  if (filled === 0) throw new TraceError(`${origin}: no row falls inside meta.json's ${steps} steps from ${new Date(startMs).toISOString()}`);
  // Gaps are steps of the grid without a row (a missing last hour included), not intervals between rows.
  const ranges = missingRanges(missing);
  issues.gaps = ranges.length;
  issues.missingSteps = steps - filled;
  issues.firstRow = { ...issues.firstRow, gaps: undefined };
  return { demand, missing, issues };
}

/** Any file the header check let through, by the general series parser (series-csv.ts): every irregularity counted. */
function readAnyRows(text: string, origin: string, startMs: number, stepMs: number, steps: number): DemandSeries {
  let series: SeriesCsv;
  try {
    series = parseSeriesCsv(text);
  } catch (err) {
    throw new TraceError(`${origin}: ${(err as Error).message}`);
  }
  const demand = new Float64Array(steps);
  const missing = new Uint8Array(steps).fill(1);
  const issues = { ...series.issues, offGrid: 0, outOfRange: 0 };
  for (const row of series.rows) {
    if (row.value < 0) throw new TraceError(`${origin}: timestamp ${row.raw}: demand_rps ${row.value} is negative`);
    const k = Math.round((row.tMs - startMs) / stepMs);
    if (row.tMs !== startMs + k * stepMs) issues.offGrid++;
    if (k < 0 || k >= steps) {
      issues.outOfRange++;
      continue;
    }
    demand[k] = row.value;
    missing[k] = 0;
  }
  return { demand, missing, issues };
}

const GRID_HEADER = 'timestamp,demand_rps\n';
const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from there on toISOString writes a six-digit year. */
const FIVE_DIGIT_YEAR_MS = 253_402_300_800_000;
const CHAR = { T: 84, colon: 58, Z: 90, comma: 44, zero: 48, point: 46, newline: 10 };
/** A decimal of at most 15 digits is an integer below 2^53 over a power of ten below 10^23: both exact doubles. */
const MAX_EXACT_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: MAX_EXACT_DIGITS + 1 }, (_, k) => 10 ** k);

/** Whether `text` at `at` holds `n` (0–99) as two digits. */
const twoDigitsAt = (text: string, at: number, n: number) =>
  text.charCodeAt(at) === CHAR.zero + Math.floor(n / 10) && text.charCodeAt(at + 1) === CHAR.zero + (n % 10);

/** Whether `text` at `at` is "THH:MM:SSZ," for `msOfDay` (a whole second). */
function timeOfDayAt(text: string, at: number, msOfDay: number): boolean {
  return (
    text.charCodeAt(at) === CHAR.T &&
    twoDigitsAt(text, at + 1, Math.floor(msOfDay / 3_600_000)) &&
    text.charCodeAt(at + 3) === CHAR.colon &&
    twoDigitsAt(text, at + 4, Math.floor(msOfDay / 60_000) % 60) &&
    text.charCodeAt(at + 6) === CHAR.colon &&
    twoDigitsAt(text, at + 7, Math.floor(msOfDay / 1000) % 60) &&
    text.charCodeAt(at + 9) === CHAR.Z &&
    text.charCodeAt(at + 10) === CHAR.comma
  );
}

/** Whether [from, to) of `text` holds only characters of a decimal number (digits, sign, point, exponent). */
function numberCharsIn(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 43 || c === 45 || c === 101 || c === 69)) return false;
  }
  return true;
}

/**
 * The file every trace generator writes, read in one pass without the general parser (which took a
 * fifth of a second for 8 weeks; this ~40 ms): the header, then one row per step from the first row
 * on, each `YYYY-MM-DDTHH:MM:SSZ,value` (the timestamp as toISOString writes it, without
 * milliseconds), on the step grid, with a value ≥ 0.
 * Such a file has nothing the general path would count but rows outside the grid, and its timestamps
 * are the instants Date.parse reads from them, so the result is the general path's. Anything else
 * (another spacing, a blank line, CRLF, a second column, a negative value …) → null, and
 * readAnyRows reads the file.
 */
export function readGridRows(text: string, startMs: number, stepMs: number, steps: number): DemandSeries | null {
  if (!text.startsWith(GRID_HEADER) || !(stepMs > 0) || stepMs % 1000 !== 0) return null;
  let pos = GRID_HEADER.length;
  // The first row's instant; every row (this one too) must then be written exactly as that instant is.
  let tMs = Date.parse(text.slice(pos, pos + 20));
  if (pos >= text.length || !Number.isFinite(tMs)) return null;
  const demand = new Float64Array(steps);
  const missing = new Uint8Array(steps).fill(1);
  let outOfRange = 0;
  let day = NaN;
  let dayPrefix = '';
  while (pos < text.length) {
    if (!(tMs >= 0 && tMs < FIVE_DIGIT_YEAR_MS)) return null;
    const d = Math.floor(tMs / DAY_MS);
    if (d !== day) {
      day = d;
      dayPrefix = new Date(d * DAY_MS).toISOString().slice(0, 10);
    }
    if (!text.startsWith(dayPrefix, pos) || !timeOfDayAt(text, pos + 10, tMs - d * DAY_MS)) return null;
    // The value: digits with at most one point, read here; anything else (a sign, an exponent) by Number.
    const from = pos + 21;
    let end = from;
    let mantissa = 0;
    let digits = 0;
    let point = -1;
    for (; end < text.length; end++) {
      const c = text.charCodeAt(end);
      if (c >= CHAR.zero && c <= CHAR.zero + 9) {
        mantissa = mantissa * 10 + (c - CHAR.zero);
        digits++;
      } else if (c === CHAR.point && point < 0) point = end;
      else break;
    }
    let value: number;
    if (digits > 0 && digits <= MAX_EXACT_DIGITS && (end === text.length || text.charCodeAt(end) === CHAR.newline)) {
      // Both mantissa and 10^decimals are exact doubles, so the one division rounds as Number() does.
      value = point < 0 ? mantissa : mantissa / POWERS_OF_TEN[end - point - 1];
    } else {
      end = text.indexOf('\n', from);
      if (end < 0) end = text.length;
      if (end === from || !numberCharsIn(text, from, end)) return null;
      value = Number(text.slice(from, end));
    }
    // Negative, not a number, infinite: the general path counts or refuses it, and says where.
    if (!(value >= 0 && value < Infinity)) return null;
    const k = Math.round((tMs - startMs) / stepMs);
    if (tMs !== startMs + k * stepMs) return null;
    if (k < 0 || k >= steps) outOfRange++;
    else {
      demand[k] = value;
      missing[k] = 0;
    }
    tMs += stepMs;
    pos = end + 1;
  }
  return { demand, missing, issues: { ...noIssues(), offGrid: 0, outOfRange } };
}

/**
 * Gives missing steps the last value before them (the first value after, at the start), so every policy
 * is scored on a complete series; returns how many steps had a value of their own.
 */
export function fillGaps(demand: Float64Array, missing: Uint8Array): number {
  let firstKnown = -1;
  let known = 0;
  for (let k = 0; k < demand.length; k++) {
    if (missing[k]) continue;
    known++;
    if (firstKnown < 0) firstKnown = k;
  }
  if (firstKnown < 0) return 0;
  for (let k = 0; k < demand.length; k++) if (missing[k]) demand[k] = k < firstKnown ? demand[firstKnown] : demand[k - 1];
  return known;
}

/** Steps with no reading, as [first, last] index ranges. */
export function missingRanges(missing: ArrayLike<number>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let k = 0; k < missing.length; k++) {
    if (!missing[k]) continue;
    const from = k;
    while (k + 1 < missing.length && missing[k + 1]) k++;
    out.push([from, k]);
  }
  return out;
}

/** One stderr line about the trace's irregular rows, or null when it was clean. */
export function describeDemandIssues(d: Pick<DemandSeries, 'issues'>): string | null {
  const parts = [describeIssues(d.issues, REPLAY_RULES)];
  if (d.issues.offGrid) parts.push(`${d.issues.offGrid} timestamp(s) off the step grid (put on the nearest step)`);
  if (d.issues.outOfRange) parts.push(`${d.issues.outOfRange} row(s) outside meta.json's range (left out)`);
  const text = parts.filter(Boolean).join(', ');
  return text || null;
}

export function readTrace(dir: string): Trace {
  const meta = parseMeta(readText(dir, 'meta.json'), join(dir, 'meta.json'));
  const startMs = Date.parse(meta.start);
  const stepMs = meta.stepSeconds * 1000;
  const steps = Math.round((meta.minutes * 60_000) / stepMs);
  const { demand, missing, issues } = parseDemandCsv(readText(dir, 'trace.csv'), join(dir, 'trace.csv'), startMs, stepMs, steps);
  let calendar: WeddingCalendar;
  try {
    calendar = allEventsRead(parseJsonCalendar(readText(dir, 'calendar.json'), join(dir, 'calendar.json')), join(dir, 'calendar.json'));
  } catch (err) {
    throw new TraceError((err as Error).message);
  }
  return { dir, meta, startMs, stepMs, demand, missing, demandIssues: issues, calendar };
}
