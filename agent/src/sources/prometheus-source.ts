/**
 * Reads a target's load with a PromQL instant query (`/api/v1/query`). Errors, timeouts, empty results
 * and non-numbers all come back as `{ ok: false }`: an empty result is "no data", never zero load.
 */
import type { TargetConfig } from '../config/schema';
import type { HistoryPoint, LoadReading, LoadSource } from './source';
import { z } from 'zod';
import { positiveSeconds } from '../config/common';

/** This source's config (an entry of `sources`), composed by sources/registry.ts. */
export const prometheusSourceConfig = z
  .object({
    type: z.literal('prometheus'),
    url: z.url(),
    timeoutSeconds: positiveSeconds.default(5),
    /** Readings older than this are stale: the planner holds rather than trusting them. */
    staleAfterSeconds: positiveSeconds.default(120),
    bearerToken: z.string().optional(),
  })
  .strict();
export type PrometheusSourceConfig = z.infer<typeof prometheusSourceConfig>;

export interface PrometheusSourceOptions {
  url: string;
  timeoutSeconds: number;
  bearerToken?: string;
  fetch?: typeof fetch;
}

export interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: { resultType: string; result: Array<{ metric?: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }> | [number, string] };
}

/** A failed request: `status` is the HTTP status (absent when none came back), `errorType` Prometheus's own (e.g. bad_data). */
export interface PromFailure {
  failure: string;
  status?: number;
  errorType?: string;
}

/** One GET against the Prometheus HTTP API; never throws (failures are values). */
export async function promGet(opts: PrometheusSourceOptions, path: string, params: Record<string, string>): Promise<PromResponse | PromFailure> {
  const url = new URL(path, opts.url.endsWith('/') ? opts.url : opts.url + '/');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  try {
    const res = await (opts.fetch ?? fetch)(url, {
      headers: opts.bearerToken ? { authorization: `Bearer ${opts.bearerToken}` } : {},
      signal: AbortSignal.timeout(opts.timeoutSeconds * 1000),
    });
    const body = (await res.json().catch(() => null)) as PromResponse | null;
    if (!res.ok || !body || body.status !== 'success') return { failure: `HTTP ${res.status}${body?.error ? `: ${body.error}` : ''}`, status: res.status, errorType: body?.errorType };
    return body;
  } catch (err) {
    const e = err as Error;
    return { failure: e.name === 'TimeoutError' ? `timeout after ${opts.timeoutSeconds}s` : `${e.message}${(e.cause as Error)?.message ? ` (${(e.cause as Error).message})` : ''}` };
  }
}

export class PrometheusSource implements LoadSource {
  readonly type = 'prometheus';

  constructor(private readonly opts: PrometheusSourceOptions) {}

  private get(path: string, params: Record<string, string>): Promise<PromResponse | PromFailure> {
    return promGet(this.opts, path, params);
  }

  async read(target: TargetConfig, nowMs: number): Promise<LoadReading> {
    const body = await this.get('api/v1/query', { query: target.load.query, time: (nowMs / 1000).toFixed(3) });
    if ('failure' in body) return { ok: false, error: body.failure, atMs: nowMs };
    const data = body.data!;
    let sample: [number, string] | undefined;
    if (data.resultType === 'scalar') sample = data.result as [number, string];
    else if (data.resultType === 'vector') {
      const result = data.result as Array<{ value?: [number, string] }>;
      if (result.length === 0) return { ok: false, error: 'empty result (no series matched)', atMs: nowMs };
      if (result.length > 1) return { ok: false, error: `query returned ${result.length} series; wrap it in sum()`, atMs: nowMs };
      sample = result[0].value;
    } else return { ok: false, error: `unsupported result type ${data.resultType}`, atMs: nowMs };
    const value = Number(sample?.[1]);
    if (!Number.isFinite(value)) return { ok: false, error: `not a number: ${sample?.[1]}`, atMs: nowMs };
    return { ok: true, value, atMs: Math.round((sample![0]) * 1000) };
  }

  /** Backfill [from, to) through query_range, in chunks Prometheus accepts (≤ 11,000 points each). */
  async history(target: TargetConfig, fromMs: number, toMs: number, stepMs: number): Promise<HistoryPoint[] | { error: string }> {
    const out: HistoryPoint[] = [];
    const chunkMs = stepMs * 10_000;
    for (let start = fromMs; start < toMs; start += chunkMs) {
      const end = Math.min(toMs - stepMs, start + chunkMs - stepMs); // [from, to): the last point is before `to`
      if (end < start) break;
      const body = await this.get('api/v1/query_range', {
        query: target.load.query,
        start: (start / 1000).toFixed(3),
        end: (end / 1000).toFixed(3),
        step: `${stepMs / 1000}s`,
      });
      if ('failure' in body) return { error: body.failure };
      const series = (body.data?.result as Array<{ values?: Array<[number, string]> }>) ?? [];
      for (const [t, v] of series[0]?.values ?? []) {
        const value = Number(v);
        if (Number.isFinite(value)) out.push({ tMs: Math.round(t * 1000), value });
      }
    }
    return out;
  }
}
