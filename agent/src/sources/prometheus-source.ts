/**
 * Reads a target's load with a PromQL instant query (`/api/v1/query`). Errors, timeouts, empty results
 * and non-numbers all come back as `{ ok: false }`: an empty result is "no data", never zero load.
 * The reading's time is the newest sample time of the series the query reads (prometheus-freshness.ts),
 * asked in a second instant query alongside: an instant query stamps every answer with its evaluation
 * time, so a stalled or restarted Prometheus would otherwise serve a minutes-old value as fresh.
 */
import type { TargetConfig } from '../config/schema';
import type { HistoryPoint, LoadReading, LoadSource } from '../contracts/load-source';
import { z } from 'zod';
import { positiveSeconds } from '../config/common';
import { freshnessQuery } from './prometheus-freshness';
import { promGet, type PrometheusClientOptions, type PromFailure, type PromResponse } from '../contracts/prometheus-client';

export { promGet, type PromFailure, type PromResponse };

/** This source's config (an entry of `sources`), composed by app/source-registry.ts. */
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

export interface PrometheusSourceOptions extends PrometheusClientOptions {
  /** How long a reading may be trusted (the schema's default when unset). */
  staleAfterSeconds?: number;
}

export class PrometheusSource implements LoadSource {
  readonly type = 'prometheus';

  constructor(private readonly opts: PrometheusSourceOptions) {}

  get staleAfterSeconds(): number {
    return this.opts.staleAfterSeconds ?? 120;
  }

  private get(path: string, params: Record<string, string>): Promise<PromResponse | PromFailure> {
    return promGet(this.opts, path, params);
  }

  private readonly freshnessQueries = new Map<string, string | null>();

  async read(target: TargetConfig, nowMs: number): Promise<LoadReading> {
    const time = (nowMs / 1000).toFixed(3);
    const query = target.load.query;
    if (!this.freshnessQueries.has(query)) this.freshnessQueries.set(query, freshnessQuery(query));
    const ageQuery = this.freshnessQueries.get(query)!;
    const [body, age] = await Promise.all([this.get('api/v1/query', { query, time }), ageQuery ? this.get('api/v1/query', { query: ageQuery, time }) : null]);
    if ('failure' in body) return { ok: false, error: body.failure, atMs: nowMs };
    const sample = oneSample(body);
    if ('error' in sample) return { ok: false, error: sample.error, atMs: nowMs };
    const value = Number(sample.value[1]);
    if (!Number.isFinite(value)) return { ok: false, error: `not a number: ${sample.value[1]}`, atMs: nowMs };
    const evaluatedMs = Math.round(sample.value[0] * 1000);
    if (!age) return { ok: true, value, atMs: evaluatedMs };
    // Not knowing how old the data is means not trusting it: the planner holds on an error value.
    if ('failure' in age) return { ok: false, error: `freshness query failed: ${age.failure}`, atMs: nowMs };
    const newest = oneSample(age);
    if ('error' in newest) return { ok: false, error: "stale: a series the query reads has no sample within Prometheus's lookback", atMs: nowMs };
    const sampleMs = Math.round(Number(newest.value[1]) * 1000);
    if (!Number.isFinite(sampleMs)) return { ok: false, error: `freshness query answered ${newest.value[1]}`, atMs: nowMs };
    return { ok: true, value, atMs: Math.min(evaluatedMs, sampleMs) };
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

/** The one sample of an instant query's answer (a scalar or a one-series vector). */
function oneSample(body: PromResponse): { value: [number, string] } | { error: string } {
  const data = body.data!;
  if (data.resultType === 'scalar') return { value: data.result as [number, string] };
  if (data.resultType !== 'vector') return { error: `unsupported result type ${data.resultType}` };
  const result = data.result as Array<{ value?: [number, string] }>;
  if (result.length === 0) return { error: 'empty result (no series matched)' };
  if (result.length > 1) return { error: `query returned ${result.length} series; wrap it in sum()` };
  return result[0].value ? { value: result[0].value } : { error: 'a vector sample without a value' };
}
