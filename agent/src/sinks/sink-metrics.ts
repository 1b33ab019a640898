/**
 * Every sink reports on itself through these, labelled by sink name and type, in the agent's own
 * registry (so they show on /metrics and are exported by the sinks like everything else).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRIC } from '../metrics/names';

export type SinkLabels = 'sink' | 'type';

export interface SinkMetrics {
  exported: Counter<SinkLabels>;
  /** Failed delivery attempts; `reason` is 429, 4xx, 5xx or network. */
  failed: Counter<SinkLabels | 'reason'>;
  /** Items given up on; `reason` is overflow (queue bound), rejected (non-retryable 4xx) or shutdown. */
  dropped: Counter<SinkLabels | 'reason'>;
  queueLength: Gauge<SinkLabels>;
  exportDuration: Histogram<SinkLabels | 'outcome'>;
  up: Gauge<SinkLabels>;
  pages: Counter<'sink' | 'kind' | 'action'>;
  /** 1 while the PagerDuty sink has delivered the trigger of an open page (the alert rules stand back). */
  pageDelivered: Gauge<'sink' | 'kind' | 'subject'>;
  /** Triggers the PagerDuty sink could not deliver within its hand-off time and left to Alertmanager. */
  pageHandOffs: Counter<'sink' | 'kind'>;
}

const cache = new WeakMap<Registry, SinkMetrics>();

/** One set per registry: several sinks (and a rebuilt fan-out) share the same metric objects. */
export function createSinkMetrics(registry: Registry): SinkMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const labelNames = ['sink', 'type'] as const;
  const metrics: SinkMetrics = {
    exported: new Counter({ name: METRIC.sinkExportedSamplesTotal, help: 'Samples (or page events) a sink delivered.', labelNames, registers: [registry] }),
    failed: new Counter({
      name: METRIC.sinkFailedExportsTotal,
      help: 'Failed delivery attempts, by reason (429, 4xx, 5xx, network).',
      labelNames: [...labelNames, 'reason'],
      registers: [registry],
    }),
    dropped: new Counter({
      name: METRIC.sinkDroppedSamplesTotal,
      help: 'Samples a sink gave up on, by reason (overflow, rejected, shutdown).',
      labelNames: [...labelNames, 'reason'],
      registers: [registry],
    }),
    queueLength: new Gauge({
      name: METRIC.sinkQueueLength,
      help: 'Samples waiting in the sink queue (including the batch in flight).',
      labelNames,
      registers: [registry],
    }),
    exportDuration: new Histogram({
      name: METRIC.sinkExportDurationSeconds,
      help: 'Duration of one delivery attempt, by outcome.',
      labelNames: [...labelNames, 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    up: new Gauge({
      name: METRIC.sinkUp,
      help: '1 when the last delivery succeeded (or none was needed yet), 0 while failing.',
      labelNames,
      registers: [registry],
    }),
    pages: new Counter({
      name: METRIC.pagesTotal,
      help: 'PagerDuty events sent, by condition kind and action (trigger, resolve).',
      labelNames: ['sink', 'kind', 'action'],
      registers: [registry],
    }),
    pageDelivered: new Gauge({
      name: METRIC.pageDelivered,
      help: "1 while this sink has delivered the trigger of an open page: the alert rules leave that page to the agent's sink.",
      labelNames: ['sink', 'kind', 'subject'],
      registers: [registry],
    }),
    pageHandOffs: new Counter({
      name: METRIC.pageHandOffsTotal,
      help: 'Page triggers not delivered within the hand-off time, left to Alertmanager (never sent later).',
      labelNames: ['sink', 'kind'],
      registers: [registry],
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}

export function failureReason(status: number | undefined): string {
  if (status === undefined) return 'network';
  if (status === 429) return '429';
  return status >= 500 ? '5xx' : '4xx';
}
