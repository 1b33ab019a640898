/**
 * Reads `timestamp,value` CSV (the Numenta Anomaly Benchmark format, Grafana's CSV export; extra columns
 * ignored) into rows with a real CSV parser (csv-parse: quotes, headers, BOM),
 * counting what real exports contain (backward and repeated timestamps, gaps, empty and non-numeric
 * values) instead of refusing the file. Pure: takes text, returns rows or throws SeriesCsvError.
 */

import { plainCsvRecords } from './plain-csv';

export interface SeriesRow {
  /** The timestamp exactly as written (echoed back in outputs). */
  raw: string;
  tMs: number;
  value: number;
}

export type TimestampStyle = 'nab' | 'iso' | 'epoch-s' | 'epoch-ms';

export class SeriesCsvError extends Error {}

const NAB_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;

/** Parses one timestamp: "YYYY-MM-DD HH:MM[:SS]" (wall clock, read as UTC), ISO-8601 with offset, or epoch s/ms. */
export function parseTimestamp(text: string): { tMs: number; style: TimestampStyle } | null {
  const s = text.trim();
  const nab = NAB_TIME.exec(s);
  if (nab) {
    const [, y, mo, d, h, mi, sec, frac] = nab;
    const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, sec ? +sec : 0, frac ? Math.round(Number(frac) * 1000) : 0);
    const back = new Date(t);
    if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || +h > 23 || +mi > 59) return null;
    return { tMs: t, style: 'nab' };
  }
  if (/^\d{9,13}(\.\d+)?$/.test(s)) {
    const n = Number(s);
    return n >= 1e11 ? { tMs: Math.round(n), style: 'epoch-ms' } : { tMs: Math.round(n * 1000), style: 'epoch-s' };
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const t = Date.parse(s);
    return Number.isFinite(t) ? { tMs: t, style: 'iso' } : null;
  }
  return null;
}

export function formatTimestamp(tMs: number, style: TimestampStyle): string {
  switch (style) {
    case 'nab':
      return new Date(tMs).toISOString().slice(0, 19).replace('T', ' ');
    case 'epoch-s':
      return String(tMs / 1000);
    case 'epoch-ms':
      return String(tMs);
    default:
      return new Date(tMs).toISOString().replace('.000Z', 'Z');
  }
}

/** What real exports contain besides clean rows, each kind counted (see `describeIssues` for the one-line report). */
export interface SeriesIssues {
  /** Rows whose timestamp is before the previous row's (a repeated clock hour, late samples). */
  backward: number;
  /** Rows whose timestamp an earlier row already had. */
  duplicate: number;
  /** Intervals longer than 1.5 × the median step between consecutive (time-ordered) timestamps, and the steps they miss. */
  gaps: number;
  missingSteps: number;
  /** Rows with an empty value, with a value that is not a number, or whose timestamp cannot be read: not usable. */
  empty: number;
  nonNumeric: number;
  badTimestamp: number;
  /** The first file row (1 = header) of each kind, so the report can point at it. */
  firstRow: Partial<Record<IssueKind, number>>;
}

export type IssueKind = 'backward' | 'duplicate' | 'gaps' | 'empty' | 'nonNumeric' | 'badTimestamp';

export interface SeriesCsv {
  /** Usable rows (a readable timestamp and a finite value), in file order. */
  rows: SeriesRow[];
  /** How the timestamps were written, so generated rows can be written the same way. */
  style: TimestampStyle;
  issues: SeriesIssues;
}

export const noIssues = (): SeriesIssues => ({ backward: 0, duplicate: 0, gaps: 0, missingSteps: 0, empty: 0, nonNumeric: 0, badTimestamp: 0, firstRow: {} });

function note(issues: SeriesIssues, kind: IssueKind, rowNo: number): void {
  if (kind !== 'gaps') issues[kind]++;
  issues.firstRow[kind] ??= rowNo;
}

/** Header names taken as the time column (Grafana's CSV export writes "Time"). */
const TIME_COLUMNS = ['timestamp', 'time', 'date', 'datetime'];

/**
 * The file's records with their file row numbers, read by a real CSV parser (csv-parse): quoted fields
 * (`"Time","Value"`, as Grafana exports), a byte-order mark, CRLF, and Excel's `sep=;` first line.
 */
function csvRecords(text: string): Array<{ cells: string[]; rowNo: number }> {
  const body = text.replace(/^\uFEFF/, '');
  const sep = /^sep=(.)\r?\n/i.exec(body);
  const plain = sep ? null : plainCsvRecords(body);
  if (plain) return plain;
  let records: Array<{ record: string[]; info: { lines: number } }>;
  // The parser is loaded only for a file the plain reader cannot take (a replay's trace never needs it).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy loading (above), typed by its module
  const { parse } = require('csv-parse/sync') as typeof import('csv-parse/sync');
  try {
    records = parse(sep ? body.slice(sep[0].length) : body, {
      delimiter: sep?.[1] ?? ',',
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (err) {
    throw new SeriesCsvError(`not readable as CSV: ${(err as Error).message}`);
  }
  const offset = sep ? 1 : 0;
  return records.map((r) => ({ cells: r.record, rowNo: r.info.lines + offset }));
}

/**
 * Parses the whole file as real exports come: rows whose timestamp or value cannot be used are counted
 * and left out; backward and repeated timestamps are counted and kept in file order (each command applies
 * its own rule to them). Only a bad header or a file with no usable row is refused. Row numbers count
 * file lines from 1 (the header is row 1), as an editor shows them. The time column is `timestamp`
 * (NAB, the traces) or `time`/`date` (Grafana's export); the value column `value`, or else the only other
 * column of a two-column file (e.g. the traces' timestamp,demand_rps, or Grafana's "Time","<series>").
 */
export function parseSeriesCsv(text: string): SeriesCsv {
  const records = csvRecords(text);
  const headerCells = records[0]?.cells ?? [];
  const header = headerCells.map((h) => h.trim().toLowerCase());
  const ti = header.findIndex((h) => TIME_COLUMNS.includes(h));
  let vi = header.indexOf('value');
  if (vi < 0 && header.length === 2 && ti >= 0) vi = 1 - ti;
  if (ti < 0 || vi < 0)
    throw new SeriesCsvError(
      `row 1: header must name a time column ("timestamp" or "time") and a value column ("value", or the only other column) (found "${headerCells.join(',')}")`,
    );
  const rows: SeriesRow[] = [];
  const rowNos: number[] = [];
  const issues = noIssues();
  let seen: Set<number> | null = null;
  let newestMs = -Infinity;
  let style: TimestampStyle | null = null;
  let lastError = '';
  for (const { cells, rowNo } of records.slice(1)) {
    if (cells.every((c) => c === '')) continue;
    const ts = cells.length > ti ? parseTimestamp(cells[ti]) : null;
    if (!ts) {
      note(issues, 'badTimestamp', rowNo);
      lastError = `row ${rowNo}: timestamp "${(cells[ti] ?? '').trim()}" is not a date-time (use "YYYY-MM-DD HH:MM:SS", ISO-8601 or epoch seconds)`;
      continue;
    }
    const valueText = (cells[vi] ?? '').trim();
    if (valueText === '') {
      note(issues, 'empty', rowNo);
      lastError = `row ${rowNo}: value is empty`;
      continue;
    }
    const value = Number(valueText);
    if (!Number.isFinite(value)) {
      note(issues, 'nonNumeric', rowNo);
      lastError = `row ${rowNo}: value "${valueText}" is not a number`;
      continue;
    }
    const prev = rows[rows.length - 1];
    if (prev && ts.tMs < prev.tMs) note(issues, 'backward', rowNo);
    // A timestamp after every earlier one cannot repeat one: the set of seen timestamps is only built
    // (from the rows so far) once a row is not the newest yet — most files never need it.
    if (ts.tMs > newestMs) newestMs = ts.tMs;
    else {
      if (!seen) seen = new Set(rows.map((r) => r.tMs));
      if (seen.has(ts.tMs)) note(issues, 'duplicate', rowNo);
    }
    seen?.add(ts.tMs);
    style ??= ts.style;
    rows.push({ raw: cells[ti].trim(), tMs: ts.tMs, value });
    rowNos.push(rowNo);
  }
  if (rows.length === 0) throw new SeriesCsvError(lastError ? `no usable data rows (last problem: ${lastError})` : 'the file has a header but no data rows');
  countGaps(rows, rowNos, issues);
  return { rows, style: style ?? 'iso', issues };
}

/** Gaps between distinct timestamps in time order: longer than 1.5 × the median step. */
function countGaps(rows: SeriesRow[], rowNos: number[], issues: SeriesIssues): void {
  const order = rows.map((_, i) => i).sort((a, b) => rows[a].tMs - rows[b].tMs || a - b);
  const distinct = order.filter((k, j) => j === 0 || rows[k].tMs !== rows[order[j - 1]].tMs);
  const step = medianStepMs(distinct.map((k) => rows[k]));
  if (step <= 0) return;
  for (let j = 1; j < distinct.length; j++) {
    const dt = rows[distinct[j]].tMs - rows[distinct[j - 1]].tMs;
    if (dt > 1.5 * step) {
      issues.gaps++;
      issues.missingSteps += Math.round(dt / step) - 1;
      note(issues, 'gaps', rowNos[distinct[j]]);
    }
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * One line for stderr saying what was found and what was done about each kind (`rules`: the command's
 * rule per kind, e.g. { duplicate: 'last value wins' }), or null when the input was clean.
 */
export function describeIssues(issues: SeriesIssues, rules: Partial<Record<IssueKind, string>>): string | null {
  const parts: string[] = [];
  const add = (kind: IssueKind, text: string) => {
    const notes = [issues.firstRow[kind] ? `first at row ${issues.firstRow[kind]}` : '', rules[kind] ?? ''].filter(Boolean);
    parts.push(notes.length ? `${text} (${notes.join('; ')})` : text);
  };
  if (issues.backward) add('backward', plural(issues.backward, 'backward timestamp'));
  if (issues.duplicate) add('duplicate', plural(issues.duplicate, 'repeated timestamp'));
  if (issues.gaps) add('gaps', `${plural(issues.gaps, 'gap')} of ${plural(issues.missingSteps, 'missing step')} in all`);
  if (issues.empty) add('empty', plural(issues.empty, 'empty value'));
  if (issues.nonNumeric) add('nonNumeric', plural(issues.nonNumeric, 'non-numeric value'));
  if (issues.badTimestamp) add('badTimestamp', plural(issues.badTimestamp, 'unreadable timestamp'));
  return parts.length ? parts.join(', ') : null;
}

/** The typical sampling step: the median gap between rows (robust to a few gaps in the data). */
export function medianStepMs(rows: readonly SeriesRow[]): number {
  if (rows.length < 2) return 0;
  const gaps: number[] = [];
  for (let i = 1; i < rows.length; i++) gaps.push(rows[i].tMs - rows[i - 1].tMs);
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1];
}

/** Rows in time order, one per timestamp: for a repeated timestamp the last row in the file wins. */
export function timeOrderedLastWins(rows: readonly SeriesRow[]): SeriesRow[] {
  const byTime = new Map<number, SeriesRow>();
  for (const r of rows) byTime.set(r.tMs, r);
  return [...byTime.values()].sort((a, b) => a.tMs - b.tMs);
}
