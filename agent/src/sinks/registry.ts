/**
 * Sink types, one constructor each, in one explicit alphabetical map.
 *
 * Adding a sink:
 *   1. its config in config/schema.ts (`sinkSchema`): a `type` literal, `name`, queue options, secrets as
 *      `${ENV}` references (add the key to SECRET_KEYS if new);
 *   2. a folder here with a Transport (`send(batch, signal) → SendOutcome`, never deciding retries itself)
 *      and a sink class wrapping it in QueuedSink;
 *   3. its line below; a test against a local capture server using the real client library.
 */
import type { SinkConfig } from '../config/schema';
import { ConsoleSink } from './console-sink';
import { DatadogSink } from './datadog/datadog-sink';
import { MemorySink } from './memory-sink';
import { NewRelicSink } from './newrelic/newrelic-sink';
import { PagerDutySink } from './pagerduty/pagerduty-sink';
import type { Sink } from './sink';
import type { SinkDeps } from './sink-deps';

/** A built sink and how often it wants the tick's output (0 = every tick). */
export interface SinkEntry {
  sink: Sink;
  intervalMs: number;
}

type Builders = { [K in SinkConfig['type']]: (cfg: Extract<SinkConfig, { type: K }>, name: string, deps: SinkDeps) => SinkEntry };

export const SINK_BUILDERS: Builders = {
  console: (cfg, name, deps) => ({ sink: new ConsoleSink(name, cfg, deps), intervalMs: cfg.intervalSeconds * 1000 }),
  datadog: (cfg, name, deps) => ({ sink: new DatadogSink(name, cfg, deps), intervalMs: cfg.intervalSeconds * 1000 }),
  memory: (cfg, name, deps) => ({ sink: new MemorySink(name, cfg, deps), intervalMs: (cfg.intervalSeconds ?? 0) * 1000 }),
  newrelic: (cfg, name, deps) => ({ sink: new NewRelicSink(name, cfg, deps), intervalMs: cfg.intervalSeconds * 1000 }),
  // Paging is judged on every tick: a condition should page within one tick of becoming true.
  pagerduty: (cfg, name, deps) => ({ sink: new PagerDutySink(name, cfg, deps), intervalMs: 0 }),
};

export function buildSinks(configs: readonly SinkConfig[], deps: SinkDeps): SinkEntry[] {
  return configs.map((cfg) => {
    const build = SINK_BUILDERS[cfg.type] as (c: SinkConfig, n: string, d: SinkDeps) => SinkEntry;
    if (!build) throw new Error(`sinks: unknown sink type "${String((cfg as { type: unknown }).type)}" (known: ${Object.keys(SINK_BUILDERS).join(', ')})`);
    return build(cfg, cfg.name ?? cfg.type, deps);
  });
}
