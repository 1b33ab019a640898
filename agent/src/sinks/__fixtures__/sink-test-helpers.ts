/** Helpers shared by the sink tests (not used by the agent itself). */
import { Registry } from 'prom-client';
import type { AgentState } from '../../state';
import { silentLogger } from '../../util/logger';
import type { Sample, SinkInput } from '../../contracts/sink';
import type { SinkDeps } from '../sink-deps';
import { createSinkMetrics } from '../sink-metrics';
import { ManualTimers } from '../timers';

export function sample(name: string, seq: number, atMs = 0, labels: Record<string, string> = {}): Sample {
  return { name, labels: { seq: String(seq), ...labels }, value: seq, kind: 'gauge', atMs };
}

export function samplesInput(samples: Sample[], atMs = 0, state = {} as AgentState): SinkInput {
  return { atMs, samples, state };
}

export function testDeps(overrides: Partial<SinkDeps> = {}): SinkDeps & { registry: Registry; timers: ManualTimers } {
  const registry = new Registry();
  const timers = new ManualTimers(1_000_000);
  return { cluster: 'test', metrics: createSinkMetrics(registry), logger: silentLogger, timers, random: () => 0.5, registry, ...overrides } as SinkDeps & {
    registry: Registry;
    timers: ManualTimers;
  };
}

/** Sum of a metric's values whose labels include `labels`. */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)).reduce((sum, v) => sum + v.value, 0);
}

/** Lets pending I/O callbacks and promise chains run (real event-loop turns, no fake time passes). */
export async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
}
