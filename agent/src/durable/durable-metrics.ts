/** The durable state's metrics: a store that quietly stops writing must show on /metrics (WedSyncStateNotDurable). */
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRIC } from '../metrics/names';
import type { DurableStatus } from './durable-state-store';

export interface DurableMetrics {
  syncFailures: Counter<string>;
  writes: Counter<string>;
  trims: Counter<string>;
}

export function createDurableMetrics(registry: Registry): DurableMetrics {
  return {
    syncFailures: new Counter({
      name: METRIC.stateSyncFailuresTotal,
      help: 'Rounds in which the durable state (overrides, audit trail, open pages, calendar memory) could not be read or written.',
      registers: [registry],
    }),
    writes: new Counter({ name: METRIC.stateWritesTotal, help: 'Writes of the durable state (only rounds that changed it write).', registers: [registry] }),
    trims: new Counter({
      name: METRIC.stateTrimsTotal,
      help: 'Writes that had to trim the durable state document (audit details, oldest audit entries, override reasons) to fit its size budget.',
      registers: [registry],
    }),
  };
}

/** Gauges read from the store at scrape time. */
export function registerDurableGauges(registry: Registry, status: () => DurableStatus): void {
  new Gauge({
    name: METRIC.stateDurable,
    help: '1 when the last round of the durable state reached the store and stored what this replica holds; 0 while changes (overrides, audit) are kept in memory only.',
    labelNames: ['store'],
    registers: [registry],
    collect() {
      const s = status();
      this.reset();
      this.set({ store: s.store }, s.durable ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC.stateSetAside,
    help: '1 while the stored state was recently found unreadable (corrupt or too large) and kept aside: what it held is not in force.',
    registers: [registry],
    collect() {
      this.set(status().setAside ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC.stateDocumentBytes,
    help: 'Size of the durable state document last read or written (bounded: at most 900 KiB).',
    registers: [registry],
    collect() {
      this.set(status().documentBytes);
    },
  });
}
