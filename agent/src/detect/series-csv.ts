/**
 * Reads `timestamp,value` CSV (the Numenta Anomaly Benchmark format; extra columns ignored) into rows,
 * failing with the row number and the reason. Pure: takes text, returns rows or throws SeriesCsvError.
 */

export interface SeriesRow {
  /** The timestamp exactly as written (echoed back in outputs). */
  raw: string;
  tMs: number;
  value: number;
}

export type TimestampStyle = 'nab' | 'iso' | 'epoch-s' | 'epoch-ms';

export interface SeriesCsv {
  rows: SeriesRow[];
  /** How the timestamps were written, so generated rows can be written the same way. */
  style: TimestampStyle;
}

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

/**
 * Parses the whole file. Row numbers count file lines from 1 (the header is row 1), as an editor shows
 * them. Timestamps must strictly increase: a streaming detector cannot go back in time.
 */
export function parseSeriesCsv(text: string): SeriesCsv {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').split(',').map((h) => h.trim().toLowerCase());
  const ti = header.indexOf('timestamp');
  // "value", or else the only other column of a two-column file (e.g. the traces' timestamp,demand_rps).
  let vi = header.indexOf('value');
  if (vi < 0 && header.length === 2 && ti >= 0) vi = 1 - ti;
  if (ti < 0 || vi < 0) throw new SeriesCsvError(`row 1: header must name the columns "timestamp" and "value" (found "${lines[0] ?? ''}")`);
  const rows: SeriesRow[] = [];
  let style: TimestampStyle | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const rowNo = i + 1;
    const cells = line.split(',');
    if (cells.length <= Math.max(ti, vi)) throw new SeriesCsvError(`row ${rowNo}: expected at least ${Math.max(ti, vi) + 1} columns, found ${cells.length}`);
    const ts = parseTimestamp(cells[ti]);
    if (!ts) throw new SeriesCsvError(`row ${rowNo}: timestamp "${cells[ti].trim()}" is not a date-time (use "YYYY-MM-DD HH:MM:SS", ISO-8601 or epoch seconds)`);
    const valueText = cells[vi].trim();
    const value = valueText === '' ? NaN : Number(valueText);
    if (!Number.isFinite(value)) throw new SeriesCsvError(`row ${rowNo}: value "${valueText}" is not a number`);
    const prev = rows[rows.length - 1];
    if (prev && ts.tMs < prev.tMs) throw new SeriesCsvError(`row ${rowNo}: timestamp ${cells[ti].trim()} is before the previous row's ${prev.raw} (rows must be in time order)`);
    style ??= ts.style;
    rows.push({ raw: cells[ti].trim(), tMs: ts.tMs, value });
  }
  if (rows.length === 0) throw new SeriesCsvError('the file has a header but no data rows');
  return { rows, style: style ?? 'iso' };
}

/** The typical sampling step: the median gap between rows (robust to a few gaps in the data). */
export function medianStepMs(rows: readonly SeriesRow[]): number {
  if (rows.length < 2) return 0;
  const gaps: number[] = [];
  for (let i = 1; i < rows.length; i++) gaps.push(rows[i].tMs - rows[i - 1].tMs);
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1];
}
