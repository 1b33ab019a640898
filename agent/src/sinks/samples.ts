/**
 * Samples come from the agent's own registry, so every sink ships exactly what /metrics shows — one
 * source of truth for names, labels and values.
 */
import type { Registry } from 'prom-client';
import type { Sample } from '../contracts/sink';

export async function collectSamples(registry: Registry, atMs: number): Promise<Sample[]> {
  const families = await registry.getMetricsAsJSON();
  const out: Sample[] = [];
  for (const family of families) {
    // prom-client types `type` as an enum, but the JSON carries the exposition's string ('gauge', 'counter', …).
    const kind = String(family.type) === 'gauge' ? 'gauge' : 'counter';
    for (const v of family.values) {
      if (!Number.isFinite(v.value)) continue;
      const labels: Record<string, string> = {};
      for (const [k, val] of Object.entries(v.labels ?? {})) labels[k] = String(val);
      // Histogram and summary values carry their own series name (_bucket, _sum, _count).
      const name = (v as { metricName?: string }).metricName ?? family.name;
      out.push({ name, labels, value: v.value, kind, atMs });
    }
  }
  return out;
}
