/**
 * Before any history is read: every selected target's load query must be PromQL Prometheus accepts, and
 * Prometheus must answer at all. A refused query is a config error naming the key and the file (never a
 * silent 0 later); an unreachable Prometheus is a clear runtime error.
 */
import type { LoadedConfig } from '../app/config-load';
import type { TargetConfig } from '../config/schema';
import { promGetWithRetry, type RangeClientOptions } from './prometheus-range';
import { BacktestError } from './target-history';

export async function checkQueries(prom: RangeClientOptions, loaded: LoadedConfig, targets: TargetConfig[], atMs: number): Promise<void> {
  for (const target of targets) {
    const i = loaded.config.targets.indexOf(target);
    const r = await promGetWithRetry(prom, 'api/v1/query', { query: target.load.query, time: (atMs / 1000).toFixed(3) });
    if (!('failure' in r)) continue;
    if (r.status === undefined) throw new BacktestError(`Prometheus at ${prom.url} is unreachable: ${r.failure}`, 1);
    if (r.status === 400 || r.errorType === 'bad_data')
      throw new BacktestError(
        `${loaded.file}: targets[${i}].load.query: Prometheus refuses the query of target "${target.id}" (${r.failure}) — query: ${target.load.query}`,
        2,
      );
    throw new BacktestError(`Prometheus at ${prom.url} failed the query of target "${target.id}": ${r.failure}`, 1);
  }
}
