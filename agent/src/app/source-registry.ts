/**
 * Source types, each with its config schema and constructor, in explicit alphabetical lists. Adding a
 * source: write `<name>-source.ts` implementing LoadSource with its schema beside it, then one line in
 * each list below. config/schema.ts takes the union from here.
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
  prometheus: (cfg) => new PrometheusSource({ url: cfg.url, timeoutSeconds: cfg.timeoutSeconds, bearerToken: cfg.bearerToken }),
  push: (cfg) => new PushSource({ maxClockSkewSeconds: cfg.maxClockSkewSeconds }),
  simulator: (cfg, deps) => new SimulatorSource({ ...cfg, calendar: deps.calendar }),
};

export function buildSources(configs: Record<string, SourceConfig>, deps: SourceDeps): Record<string, LoadSource> {
  return Object.fromEntries(
    Object.entries(configs).map(([name, cfg]) => [name, (SOURCE_BUILDERS[cfg.type] as (c: SourceConfig, d: SourceDeps) => LoadSource)(cfg, deps)]),
  );
}
