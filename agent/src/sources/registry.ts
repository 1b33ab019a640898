/**
 * Source types, one constructor each, in one explicit map. Adding a source: write `<name>-source.ts`
 * implementing LoadSource, add its schema to config/schema.ts (sourceSchema) and its line here.
 */
import type { SourceConfig } from '../config/schema';
import type { CalendarIndex } from '../calendar/rules';
import type { LoadSource } from './source';
import { PrometheusSource } from './prometheus-source';
import { PushSource } from './push-source';
import { SimulatorSource } from './simulator-source';

export interface SourceDeps {
  calendar: () => CalendarIndex;
}

type Builders = { [K in SourceConfig['type']]: (cfg: Extract<SourceConfig, { type: K }>, deps: SourceDeps) => LoadSource };

export const SOURCE_BUILDERS: Builders = {
  prometheus: (cfg) => new PrometheusSource({ url: cfg.url, timeoutSeconds: cfg.timeoutSeconds, bearerToken: cfg.bearerToken }),
  push: () => new PushSource(),
  simulator: (cfg, deps) => new SimulatorSource({ ...cfg, calendar: deps.calendar }),
};

export function buildSources(configs: Record<string, SourceConfig>, deps: SourceDeps): Record<string, LoadSource> {
  return Object.fromEntries(
    Object.entries(configs).map(([name, cfg]) => [name, (SOURCE_BUILDERS[cfg.type] as (c: SourceConfig, d: SourceDeps) => LoadSource)(cfg, deps)]),
  );
}
