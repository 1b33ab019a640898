/**
 * Source types, each with its config schema and constructor, in explicit alphabetical lists. Adding a
 * source: write `<name>-source.ts` implementing LoadSource with its schema beside it, then one line in
 * each list below. app/config-schema.ts takes the union from here.
 */
import { z } from 'zod';
import type { CalendarIndex } from '../calendar/rules';
import type { LoadSource } from '../contracts/load-source';
import { PrometheusSource, prometheusSourceConfig } from '../sources/prometheus-source';
import { PushSource, pushSourceConfig } from '../sources/push-source';
import { SimulatorSource, simulatorSourceConfig } from '../sources/simulator-source';

export const sourceConfigSchema = z.discriminatedUnion('type', [prometheusSourceConfig, pushSourceConfig, simulatorSourceConfig]);
export type SourceConfig = z.infer<typeof sourceConfigSchema>;

export interface SourceDeps {
  calendar: () => CalendarIndex;
}

type Builders = { [K in SourceConfig['type']]: (cfg: Extract<SourceConfig, { type: K }>, deps: SourceDeps) => LoadSource };

export const SOURCE_BUILDERS: Builders = {
  prometheus: (cfg) =>
    new PrometheusSource({ url: cfg.url, timeoutSeconds: cfg.timeoutSeconds, bearerToken: cfg.bearerToken, staleAfterSeconds: cfg.staleAfterSeconds }),
  push: (cfg) => new PushSource({ maxClockSkewSeconds: cfg.maxClockSkewSeconds, staleAfterSeconds: cfg.staleAfterSeconds }),
  simulator: (cfg, deps) => new SimulatorSource({ ...cfg, calendar: deps.calendar }),
};

/** How long a source's readings may be trusted, where its config says (the config check compares it with the tick). */
export function sourceStaleAfterSeconds(cfg: SourceConfig): number | undefined {
  return 'staleAfterSeconds' in cfg ? cfg.staleAfterSeconds : undefined;
}

export function buildSources(configs: Record<string, SourceConfig>, deps: SourceDeps): Record<string, LoadSource> {
  return Object.fromEntries(
    Object.entries(configs).map(([name, cfg]) => [name, (SOURCE_BUILDERS[cfg.type] as (c: SourceConfig, d: SourceDeps) => LoadSource)(cfg, deps)]),
  );
}
