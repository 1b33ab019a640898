/**
 * A target's history on the backtest's minute grid: its demand (the load query) and, where the series
 * exists, the replicas the cluster really ran. Steps Prometheus has no value for are gaps: the agent is
 * shown no reading there (as in a live outage) and the policies are scored with the last value before.
 */
import type { TargetConfig } from '../config/schema';
import { fillGaps } from '../replay/trace';
import { labelText, promString, queryRange, type RangeClientOptions, type RangeSeries } from './prometheus-range';
import type { TimeRange } from './time-range';

export const STEP_MS = 60_000;

/** A refusal with the exit code it deserves: 2 for what the user must fix in the config, 1 for the rest. */
export class BacktestError extends Error {
  override name = 'BacktestError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

export interface GridSeries {
  values: Float64Array;
  /** 1 where Prometheus had no usable value (no sample, NaN, or a negative load). */
  missing: Uint8Array;
  missingSteps: number;
}

/** Places one series' [seconds, text] points on the grid; unusable values stay missing. */
export function onGrid(series: RangeSeries | undefined, range: TimeRange): GridSeries {
  const steps = Math.round((range.toMs - range.fromMs) / STEP_MS);
  const values = new Float64Array(steps);
  const missing = new Uint8Array(steps).fill(1);
  for (const [t, text] of series?.values ?? []) {
    const k = Math.round((t * 1000 - range.fromMs) / STEP_MS);
    const v = Number(text);
    if (k < 0 || k >= steps || !Number.isFinite(v) || v < 0) continue;
    values[k] = v;
    missing[k] = 0;
  }
  const known = fillGaps(values, missing);
  return { values, missing, missingSteps: steps - known };
}

const span = (r: TimeRange) => `between ${new Date(r.fromMs).toISOString()} and ${new Date(r.toMs).toISOString()}`;

/** The target's load over the range: exactly one series, some data, or a BacktestError naming the target and query. */
export async function fetchDemand(
  prom: RangeClientOptions,
  target: TargetConfig,
  range: TimeRange,
  onRequest?: (done: number, total: number) => void,
): Promise<GridSeries> {
  const q = target.load.query;
  const result = await queryRange(prom, q, range.fromMs, range.toMs, STEP_MS, onRequest);
  if ('failure' in result)
    throw new BacktestError(`target "${target.id}": Prometheus at ${prom.url} failed the load query (${result.failure}) — query: ${q}`, 1);
  if (result.length > 1) {
    const examples = result
      .slice(0, 3)
      .map((s) => labelText(s.metric))
      .join(', ');
    throw new BacktestError(
      `target "${target.id}": the load query returned ${result.length} series ${span(range)} (${examples}${result.length > 3 ? ', …' : ''}); it must give one number per instant — wrap it in sum() — query: ${q}`,
      2,
    );
  }
  const grid = onGrid(result[0], range);
  if (grid.missingSteps === grid.values.length)
    throw new BacktestError(`target "${target.id}": the load query returned no data ${span(range)} — query: ${q}`, 1);
  return grid;
}

/** Where the replicas the cluster ran are kept: kube-state-metrics first, then the agent's own gauge. */
export function clusterReplicaQueries(target: TargetConfig): string[] {
  const { kind, namespace, name } = target.kubernetes;
  const ksm =
    kind === 'StatefulSet'
      ? `kube_statefulset_status_replicas{namespace=${promString(namespace)},statefulset=${promString(name)}}`
      : `kube_deployment_status_replicas{namespace=${promString(namespace)},deployment=${promString(name)}}`;
  return [`max(${ksm})`, `max(wedsync_agent_replicas_current{target=${promString(target.id)}})`];
}

export interface ClusterReplicas extends GridSeries {
  query: string;
}

/** What the cluster ran, from the first query with any data; null when no such series exists. */
export async function fetchClusterReplicas(prom: RangeClientOptions, target: TargetConfig, range: TimeRange): Promise<ClusterReplicas | null> {
  for (const query of clusterReplicaQueries(target)) {
    const result = await queryRange(prom, query, range.fromMs, range.toMs, STEP_MS);
    if ('failure' in result)
      throw new BacktestError(`target "${target.id}": Prometheus at ${prom.url} failed the replica query (${result.failure}) — query: ${query}`, 1);
    const grid = onGrid(result[0], range);
    if (grid.missingSteps < grid.values.length) return { ...grid, query };
  }
  return null;
}
