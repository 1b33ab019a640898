/**
 * Sink types, each with its config schema and constructor, in explicit alphabetical lists.
 *
 * Adding a sink:
 *   1. a folder here with its config schema (a `type` literal, `name`, queue options from sink-config.ts,
 *      secrets as `${ENV}` references: add a new secret key to SECRET_KEYS in config/schema.ts), a
 *      Transport (`send(batch, signal) → SendOutcome`, never deciding retries itself) and a sink class
 *      wrapping it in QueuedSink;
 *   2. its schema in SINK_CONFIG_SCHEMAS and its builder in SINK_BUILDERS below;
 *   3. a test against a local capture server using the real client library.
 */
import { z } from 'zod';
import { ConsoleSink, consoleSinkConfig } from '../sinks/console-sink';
import { DatadogSink, datadogSinkConfig } from '../sinks/datadog/datadog-sink';
import { MemorySink, memorySinkConfig } from '../sinks/memory-sink';
import { NewRelicSink, newRelicSinkConfig } from '../sinks/newrelic/newrelic-sink';
import { PagerDutySink, pagerDutySinkConfig } from '../sinks/pagerduty/pagerduty-sink';
import type { Sink } from '../contracts/sink';
import type { SinkDeps } from '../sinks/sink-deps';

export const sinkConfigSchema = z.discriminatedUnion('type', [consoleSinkConfig, datadogSinkConfig, memorySinkConfig, newRelicSinkConfig, pagerDutySinkConfig]);
export type SinkConfig = z.infer<typeof sinkConfigSchema>;

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
