/** The durable state's counters: a store that quietly stops writing must show on /metrics. */
import { Counter, type Registry } from 'prom-client';
import { METRIC } from '../metrics/names';

export interface DurableMetrics {
  syncFailures: Counter<string>;
  writes: Counter<string>;
}

export function createDurableMetrics(registry: Registry): DurableMetrics {
  return {
    syncFailures: new Counter({ name: METRIC.stateSyncFailuresTotal, help: 'Rounds in which the durable state (overrides, audit trail, open pages, calendar memory) could not be read or written.', registers: [registry] }),
    writes: new Counter({ name: METRIC.stateWritesTotal, help: 'Writes of the durable state (only rounds that changed it write).', registers: [registry] }),
  };
}
