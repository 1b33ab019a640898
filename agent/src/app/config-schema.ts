/**
 * The agent's configuration schema, composed: the core keys (config/schema.ts) with every registered
 * source's and sink's own schema (app/source-registry.ts, app/sink-registry.ts) in `sources` and `sinks`.
 * The only place that knows all plug-ins' config; the rest of the agent reads the core `AgentConfig`.
 */
import { z } from 'zod';
import { agentConfigObject, checkAgentConfig, completeAgentConfig, guarded } from '../config/agent-config';
import { sinkConfigSchema, type SinkConfig } from './sink-registry';
import { sourceConfigSchema, sourceStaleAfterSeconds, type SourceConfig } from './source-registry';

export type { SinkConfig, SourceConfig };

/** A value that must come from the environment; config-load.ts checks the raw file held `${NAME}` here. */
export const SECRET_KEYS = new Set(['apiKey', 'licenseKey', 'routingKey', 'token', 'password', 'bearerToken']);

/** What the composition needs of any sink's config: its type, name and queue bounds. */
type AnySinkConfig = { type: string; name?: string; maxBatch?: number; maxQueue?: number };

/** Sink names must be unique (the name defaults to the type): metrics and /status are keyed by it. */
const sinksSchema = <S extends z.ZodType<AnySinkConfig>>(sink: S) =>
  z
    .array(sink)
    .default([])
    .superRefine((sinks, ctx) => {
      const seen = new Map<string, number>();
      sinks.forEach((s: AnySinkConfig, i) => {
        const name = s.name ?? s.type;
        if (seen.has(name))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'name'],
            message: `duplicate sink name "${name}" (also sinks[${seen.get(name)}]); give each ${s.type} sink its own name`,
          });
        else seen.set(name, i);
        if (s.maxBatch !== undefined && s.maxQueue !== undefined && s.maxBatch > s.maxQueue)
          ctx.addIssue({ code: 'custom', path: [i, 'maxBatch'], message: `maxBatch (${s.maxBatch}) is above maxQueue (${s.maxQueue})` });
      });
    });

/**
 * The config schema with these sink types (default: the registered ones). A sink added beside the others
 * passes a union that includes its own schema; nothing outside app/ and its folder changes.
 */
export function composeConfigSchema<S extends z.ZodType<AnySinkConfig>>(sinks: S) {
  return (
    agentConfigObject
      .extend({ sources: z.record(z.string(), sourceConfigSchema).default({}), sinks: sinksSchema(sinks) })
      // Cross-field rules run even when some fields failed (`when`), so `validate` lists every problem in one pass.
      .superRefine(
        checkAgentConfig((src) => sourceStaleAfterSeconds(src as SourceConfig)),
        { when: () => true },
      )
      .superRefine((cfg, ctx) => guarded([() => checkPromqlQueries(cfg.targets, cfg.sources, ctx)]), { when: () => true })
      .transform((cfg) => completeAgentConfig(cfg))
  );
}

/** A Prometheus source's queries parse with Prometheus's own grammar: a missing bracket is a config error, not a failed read at run time. */
function checkPromqlQueries(
  targets: ReadonlyArray<{ load: { source: string; query: string } }>,
  sources: Record<string, { type: string }>,
  ctx: z.RefinementCtx,
): void {
  targets.forEach((t, i) => {
    if (sources[t.load?.source]?.type !== 'prometheus' || typeof t.load.query !== 'string') return;
    // The grammar is loaded only for a config with a Prometheus query (a replay's has none; ~0.02 s of start-up).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy loading (above), typed by its module
    const { promqlSyntaxError } = require('../sources/promql-syntax') as typeof import('../sources/promql-syntax');
    const syntax = promqlSyntaxError(t.load.query);
    if (syntax) ctx.addIssue({ code: 'custom', path: ['targets', i, 'load', 'query'], message: syntax });
  });
}

// Lazy: the sink types' schemas (and their modules) are loaded only when a config has a `sinks` entry.
export const configSchema = composeConfigSchema(z.lazy(sinkConfigSchema));

/** A validated config with each plug-in's config typed (what the registries build from). */
export type ComposedConfig = z.infer<typeof configSchema>;
