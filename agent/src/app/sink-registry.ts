/**
 * Sink types, each with its config schema and constructor, in explicit alphabetical lists.
 *
 * Adding a sink:
 *   1. a folder here with its config schema (a `type` literal, `name`, queue options from sink-config.ts,
 *      secrets as `${ENV}` references: add a new secret key to SECRET_KEYS in config/schema.ts), a
 *      Transport (`send(batch, signal) → SendOutcome`, never deciding retries itself) and a sink class
 *      wrapping it in QueuedSink;
 *   2. its schema in sinkConfigSchemas() and its builder in SINK_BUILDERS below;
 *   3. a test against a local capture server using the real client library.
 *
 * Each sink's module (its schema, its class and its client library) is loaded when a config with a
 * `sinks` entry is parsed or a sink is built, not with this module: a replay, a backtest or a config
 * without sinks never loads them (PagerDuty's client with its fetch polyfill, the Datadog and New Relic
 * transports: ~0.04 s of start-up).
 */
import { z } from 'zod';
import type { consoleSinkConfig } from '../sinks/console-sink';
import type { datadogSinkConfig } from '../sinks/datadog/datadog-sink';
import type { memorySinkConfig } from '../sinks/memory-sink';
import type { newRelicSinkConfig } from '../sinks/newrelic/newrelic-sink';
import type { pagerDutySinkConfig } from '../sinks/pagerduty/pagerduty-sink';
import type { SinkDeps } from '../sinks/sink-deps';
import type { SinkEntry } from '../contracts/sink';

export type { SinkEntry };

type SinkConfigSchemas = readonly [
  typeof consoleSinkConfig,
  typeof datadogSinkConfig,
  typeof memorySinkConfig,
  typeof newRelicSinkConfig,
  typeof pagerDutySinkConfig,
];

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading (above); each typed by its module */
const sinkModules = {
  console: () => require('../sinks/console-sink') as typeof import('../sinks/console-sink'),
  datadog: () => require('../sinks/datadog/datadog-sink') as typeof import('../sinks/datadog/datadog-sink'),
  memory: () => require('../sinks/memory-sink') as typeof import('../sinks/memory-sink'),
  newrelic: () => require('../sinks/newrelic/newrelic-sink') as typeof import('../sinks/newrelic/newrelic-sink'),
  pagerduty: () => require('../sinks/pagerduty/pagerduty-sink') as typeof import('../sinks/pagerduty/pagerduty-sink'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

let schemas: SinkConfigSchemas | undefined;
/** Every sink type's config schema, alphabetical: `sinks` accepts one of these per entry. */
export function sinkConfigSchemas(): SinkConfigSchemas {
  schemas ??= [
    sinkModules.console().consoleSinkConfig,
    sinkModules.datadog().datadogSinkConfig,
    sinkModules.memory().memorySinkConfig,
    sinkModules.newrelic().newRelicSinkConfig,
    sinkModules.pagerduty().pagerDutySinkConfig,
  ];
  return schemas;
}

const buildUnion = () => z.discriminatedUnion('type', sinkConfigSchemas());
let union: ReturnType<typeof buildUnion> | undefined;
/** One entry of `sinks`: any registered sink type's config, told apart by `type`. */
export function sinkConfigSchema(): ReturnType<typeof buildUnion> {
  union ??= buildUnion();
  return union;
}
export type SinkConfig = z.infer<ReturnType<typeof sinkConfigSchema>>;

type Builders = { [K in SinkConfig['type']]: (cfg: Extract<SinkConfig, { type: K }>, name: string, deps: SinkDeps) => SinkEntry };

export const SINK_BUILDERS: Builders = {
  console: (cfg, name, deps) => ({ sink: new (sinkModules.console().ConsoleSink)(name, cfg, deps), intervalMs: cfg.intervalSeconds * 1000 }),
  datadog: (cfg, name, deps) => ({ sink: new (sinkModules.datadog().DatadogSink)(name, cfg, deps), intervalMs: cfg.intervalSeconds * 1000 }),
  memory: (cfg, name, deps) => ({ sink: new (sinkModules.memory().MemorySink)(name, cfg, deps), intervalMs: (cfg.intervalSeconds ?? 0) * 1000 }),
  newrelic: (cfg, name, deps) => ({ sink: new (sinkModules.newrelic().NewRelicSink)(name, cfg, deps), intervalMs: cfg.intervalSeconds * 1000 }),
  // Paging is judged on every tick: a condition should page within one tick of becoming true.
  pagerduty: (cfg, name, deps) => ({ sink: new (sinkModules.pagerduty().PagerDutySink)(name, cfg, deps), intervalMs: 0 }),
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
