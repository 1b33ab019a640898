/**
 * Samples → New Relic Metric API payload. Pure, so the mapping is a table test.
 * Like the Datadog sink, every sample is a `gauge` holding the value /metrics shows (New Relic's `count`
 * type means a delta over `interval.ms`; Prometheus counters are running totals).
 */
import type { Sample } from '../../contracts/sink';

export interface NewRelicMetric {
  name: string;
  type: 'gauge';
  value: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  attributes: Record<string, string>;
}

export type NewRelicPayload = Array<{ common: { attributes: Record<string, string> }; metrics: NewRelicMetric[] }>;

export function toNewRelicPayload(samples: readonly Sample[], common: Record<string, string>): NewRelicPayload {
  return [
    {
      common: { attributes: { ...common } },
      metrics: samples.map((s) => ({ name: s.name, type: 'gauge' as const, value: s.value, timestamp: s.atMs, attributes: { ...s.labels } })),
    },
  ];
}
