/**
 * prom-client's default collectors on the agent's own registry, under their conventional names:
 * `process_*` (CPU, resident memory, open file descriptors, start time) and `nodejs_*` (event-loop lag
 * percentiles, heap sizes and spaces, GC durations by kind, active handles, version), so dashboards
 * and alerts see the agent's footprint and event-loop health as they see any Node service's.
 */
import { collectDefaultMetrics, type Registry } from 'prom-client';

/** Event-loop delay sampled every 10 ms (prom-client's default); GC buckets in seconds. */
export function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10, gcDurationBuckets: [0.001, 0.01, 0.1, 1, 2, 5] });
}
