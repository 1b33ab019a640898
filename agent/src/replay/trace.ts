/**
 * Reads a trace folder (the format of data/traces: trace.csv, calendar.json, meta.json). Every problem
 * names the file, the field or line, and what is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseJsonCalendar } from '../calendar/json-reader';
import type { WeddingCalendar } from '../calendar/model';

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
  /** Demand per step (requests/s), index k at startMs + k·stepMs. */
  demand: Float64Array;
  calendar: WeddingCalendar;
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
  if (r.data.minReplicas > r.data.maxReplicas) throw new TraceError(`${origin}: minReplicas (${r.data.minReplicas}) is above maxReplicas (${r.data.maxReplicas})`);
  return r.data;
}

/** Parses `timestamp,demand_rps` rows; they must be consecutive steps from `startMs`. */
export function parseDemandCsv(text: string, origin: string, startMs: number, stepMs: number): Float64Array {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== 'timestamp,demand_rps') throw new TraceError(`${origin}: line 1: expected the header "timestamp,demand_rps", found "${lines[0]?.slice(0, 60)}"`);
  const values: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const comma = line.indexOf(',');
    const t = Date.parse(line.slice(0, comma));
    const v = Number(line.slice(comma + 1));
    if (comma < 0 || Number.isNaN(t)) throw new TraceError(`${origin}: line ${i + 1}: timestamp "${line.slice(0, 40)}" is not ISO-8601`);
    if (!Number.isFinite(v) || v < 0) throw new TraceError(`${origin}: line ${i + 1}: demand_rps "${line.slice(comma + 1)}" is not a non-negative number`);
    const expected = startMs + values.length * stepMs;
    if (t !== expected) throw new TraceError(`${origin}: line ${i + 1}: timestamp ${line.slice(0, comma)} breaks the ${stepMs / 1000}s sequence (expected ${new Date(expected).toISOString()})`);
    values.push(v);
  }
  if (!values.length) throw new TraceError(`${origin}: no rows`);
  return Float64Array.from(values);
}

export function readTrace(dir: string): Trace {
  const meta = parseMeta(readText(dir, 'meta.json'), join(dir, 'meta.json'));
  const startMs = Date.parse(meta.start);
  const stepMs = meta.stepSeconds * 1000;
  const demand = parseDemandCsv(readText(dir, 'trace.csv'), join(dir, 'trace.csv'), startMs, stepMs);
  if (demand.length !== meta.minutes * (60_000 / stepMs))
    throw new TraceError(`${join(dir, 'trace.csv')}: ${demand.length} rows, but meta.json says minutes=${meta.minutes}`);
  let calendar: WeddingCalendar;
  try {
    calendar = parseJsonCalendar(readText(dir, 'calendar.json'), join(dir, 'calendar.json'));
  } catch (err) {
    throw new TraceError((err as Error).message);
  }
  return { dir, meta, startMs, stepMs, demand, calendar };
}
