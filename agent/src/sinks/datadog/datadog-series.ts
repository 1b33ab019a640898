/**
 * Samples → Datadog v2 series. Pure, so the mapping is a table test.
 *
 * Every sample is sent as a GAUGE carrying the value /metrics shows. Prometheus counters are cumulative,
 * and Datadog's COUNT type means "events in this interval"; sending the running total as a gauge keeps
 * the number identical to the agent's own exposition (graph it with `.rollup(max)`/`derivative()` in Datadog).
 * Samples of one series that meet in a batch (a backlog after an outage) become one series with several points.
 */
import type { Sample } from '../../contracts/sink';

/** Datadog's MetricIntakeType: 0 unspecified, 1 count, 2 rate, 3 gauge. */
export const DATADOG_GAUGE = 3 as const;

export interface DatadogSeries {
  metric: string;
  type: typeof DATADOG_GAUGE;
  points: Array<{ timestamp: number; value: number }>;
  tags: string[];
}

/** Labels become `key:value` tags (Datadog folds tags to lower case and caps them at 200 characters). */
export function labelsToTags(labels: Record<string, string>): string[] {
  return Object.entries(labels)
    .map(([k, v]) => `${k}:${v}`.slice(0, 200))
    .sort();
}

export function toDatadogSeries(samples: readonly Sample[], commonTags: readonly string[]): DatadogSeries[] {
  const byKey = new Map<string, DatadogSeries>();
  for (const s of samples) {
    // A label equal to a common tag (wedsync_agent_info's cluster/provider/region) is sent once.
    const tags = [...new Set([...commonTags, ...labelsToTags(s.labels)])];
    const key = `${s.name}|${tags.join(',')}`;
    let series = byKey.get(key);
    if (!series) {
      series = { metric: s.name, type: DATADOG_GAUGE, points: [], tags };
      byKey.set(key, series);
    }
    series.points.push({ timestamp: Math.floor(s.atMs / 1000), value: s.value });
  }
  return [...byKey.values()];
}
