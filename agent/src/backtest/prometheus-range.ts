/**
 * History for a backtest, read through Prometheus's HTTP API: `query_range` split into requests under the
 * 11,000-points-per-series limit, each retried with jittered exponential backoff when the failure may pass
 * (no answer, timeout, 429, 5xx) and not when the request itself is wrong (400: bad PromQL).
 */
import { backOff } from 'exponential-backoff';
import { promGet, type PromFailure, type PromResponse, type PrometheusClientOptions } from '../contracts/prometheus-client';
import { isRetryableStatus } from '../sinks/retry';

/** Points per series per request: under Prometheus's hard limit of 11,000. */
export const MAX_POINTS_PER_REQUEST = 10_000;

export interface RangeClientOptions extends PrometheusClientOptions {
  /** Attempts per request (first try included). */
  attempts?: number;
  /** First retry waits up to this long (full jitter), doubling up to 8 s. */
  retryDelayMs?: number;
}

export interface RangeSeries {
  metric: Record<string, string>;
  /** [unix seconds, value text] in time order, as Prometheus answers. */
  values: Array<[number, string]>;
}

const mayPass = (f: PromFailure) => f.status === undefined || isRetryableStatus(f.status);

/** A GET retried while its failure may pass; the last answer (success or failure) comes back as a value. */
export async function promGetWithRetry(opts: RangeClientOptions, path: string, params: Record<string, string>): Promise<PromResponse | PromFailure> {
  let last: PromFailure | null = null;
  try {
    return await backOff(
      async () => {
        const r = await promGet(opts, path, params);
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- backOff retries on a throw; the failure is kept in `last` and returned below, it never escapes
        if ('failure' in r && mayPass(r)) throw (last = r);
        return r;
      },
      { numOfAttempts: opts.attempts ?? 4, startingDelay: opts.retryDelayMs ?? 250, maxDelay: 8000, jitter: 'full' },
    );
  } catch (err) {
    if (last) return last;
    throw err;
  }
}

/**
 * Every series `query` returns on the 60 s (stepMs) grid over [fromMs, toMs), merged across requests by
 * label set. `onRequest` is called after each request (for a progress bar).
 */
export async function queryRange(
  opts: RangeClientOptions,
  query: string,
  fromMs: number,
  toMs: number,
  stepMs: number,
  onRequest?: (done: number, total: number) => void,
): Promise<RangeSeries[] | PromFailure> {
  const chunkMs = stepMs * MAX_POINTS_PER_REQUEST;
  const total = Math.ceil((toMs - fromMs) / chunkMs);
  const byLabels = new Map<string, RangeSeries>();
  for (let i = 0; i < total; i++) {
    const start = fromMs + i * chunkMs;
    const end = Math.min(toMs - stepMs, start + chunkMs - stepMs); // [from, to): the last point is before `to`
    const body = await promGetWithRetry(opts, 'api/v1/query_range', {
      query,
      start: (start / 1000).toFixed(3),
      end: (end / 1000).toFixed(3),
      step: `${stepMs / 1000}s`,
    });
    if ('failure' in body) return body;
    for (const s of (body.data?.result ?? []) as Array<{ metric?: Record<string, string>; values?: Array<[number, string]> }>) {
      const metric = s.metric ?? {};
      const key = JSON.stringify(Object.entries(metric).sort(([a], [b]) => a.localeCompare(b)));
      const into = byLabels.get(key) ?? { metric, values: [] };
      byLabels.set(key, into);
      for (const v of s.values ?? []) into.values.push(v);
    }
    onRequest?.(i + 1, total);
  }
  return [...byLabels.values()];
}

/** `{a="1", b="2"}`: a series' labels as PromQL writes them, for messages. */
export function labelText(metric: Record<string, string>): string {
  return `{${Object.entries(metric)
    .map(([k, v]) => `${k}="${v}"`)
    .join(', ')}}`;
}

/** A label value inside a PromQL string literal. */
export const promString = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
