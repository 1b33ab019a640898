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
import type { SinkDeps } from '../sinks/sink-deps';
import type { SinkEntry } from '../contracts/sink';

export type { SinkEntry };

/** Every sink type's config schema, alphabetical: `sinks` accepts one of these per entry. */
export const SINK_CONFIG_SCHEMAS = [consoleSinkConfig, datadogSinkConfig, memorySinkConfig, newRelicSinkConfig, pagerDutySinkConfig] as const;
export const sinkConfigSchema = z.discriminatedUnion('type', SINK_CONFIG_SCHEMAS);
export type SinkConfig = z.infer<typeof sinkConfigSchema>;

type Builders = { [K in SinkConfig['type']]: (cfg: Extract<SinkConfig, { type: K }>, name: string, deps: SinkDeps) => SinkEntry };

export const SINK_BUILDERS: Builders = {
  console: (cfg, name, deps) => ({ sink: new ConsoleSink(name, cfg, deps), intervalMs: cfg.intervalSeconds * 1000 }),
  datadog: (cfg, name, deps) => ({ sink: new DatadogSink(name, cfg, deps), intervalMs: cfg.intervalSeconds * 1000 }),
  memory: (cfg, name, deps) => ({ sink: new MemorySink(name, cfg, deps), intervalMs: (cfg.intervalSeconds ?? 0) * 1000 }),
  newrelic: (cfg, name, deps) => ({ sink: new NewRelicSink(name, cfg, deps), intervalMs: cfg.intervalSeconds * 1000 }),
  // Paging is judged on every tick: a condition should page within one tick of becoming true.
  pagerduty: (cfg, name, deps) => ({ sink: new PagerDutySink(name, cfg, deps), intervalMs: 0 }),
};

/** A sink type's constructor, as the registry holds it (a builder of SINK_BUILDERS, or of a sink added beside them). */
export type SinkBuilder = (cfg: { type: string; name?: string }, name: string, deps: SinkDeps) => SinkEntry;

export function buildSinks<C extends { type: string; name?: string }>(
  configs: readonly C[],
  deps: SinkDeps,
  builders: Readonly<Record<string, SinkBuilder>> = SINK_BUILDERS as unknown as Record<string, SinkBuilder>,
): SinkEntry[] {
  return configs.map((cfg) => {
    const build = builders[cfg.type];
    if (!build) throw new Error(`sinks: unknown sink type "${String((cfg as { type: unknown }).type)}" (known: ${Object.keys(builders).join(', ')})`);
    return build(cfg, cfg.name ?? cfg.type, deps);
  });
}
