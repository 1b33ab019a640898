/**
 * The agent configuration a replay runs with: the service shape comes from the trace's meta.json (it is
 * what the trace describes), the calendar from its calendar.json, the load from a push series the replay
 * feeds minute by minute. A user config (--config) contributes its policy, wedding rules, detection
 * settings and its first target's wedding settings (critical, time zones, region): what users tune; and
 * its price table with the target's `cost` block, so the replay prices replica-hours (OpenCost is live-only).
 */
import { join } from 'node:path';
import { configSchema, type ComposedConfig } from '../app/config-schema';
import type { LoadedConfig } from '../app/config-load';
import type { Trace } from './trace';
import { policyFor } from '../config/target-policy';

export const REPLAY_SERIES = 'demand_rps';
export const REPLAY_SOURCE = 'trace';

export function replayConfig(trace: Trace, user?: LoadedConfig): LoadedConfig {
  const base = user?.config;
  const t = base?.targets[0];
  const raw = {
    agent: { cluster: 'replay', mode: 'dry-run', tickSeconds: trace.meta.stepSeconds, logLevel: 'silent' },
    sources: { [REPLAY_SOURCE]: { type: 'push', staleAfterSeconds: Math.max(120, 2 * trace.meta.stepSeconds) } },
    // Read once: the trace's calendar does not change while it plays.
    calendar: { sources: trace.calendarSources ?? [{ format: 'json', location: join(trace.dir, 'calendar.json') }], refreshSeconds: 10 * 365 * 86_400 },
    wedding: base?.wedding,
    policy: base?.policy,
    detection: base?.detection,
    // The table only: OpenCost describes the cluster now, not the trace's past, and its source is not here.
    pricing: base?.pricing ? { ...base.pricing, opencost: undefined } : undefined,
    forecast: { horizonHours: 1, stepSeconds: trace.meta.stepSeconds, backfillHours: 0 },
    targets: [
      {
        id: t?.id ?? 'replay',
        kubernetes: t?.kubernetes ?? { namespace: 'replay', name: 'service' },
        load: { source: REPLAY_SOURCE, query: REPLAY_SERIES },
        capacityPerPod: trace.meta.podCapacityRps,
        targetUtilization: trace.meta.targetUtilization,
        minReplicas: trace.meta.minReplicas,
        maxReplicas: trace.meta.maxReplicas,
        podStartupSeconds: trace.meta.podStartupSeconds,
        weddingCritical: t?.weddingCritical ?? false,
        region: t?.region ?? 'north',
        timezones: t?.timezones ?? [],
        cost: t?.cost,
        policy: t?.policy,
      },
    ],
  };
  const config: ComposedConfig = configSchema.parse(raw);
  // The planner reads the forecast only over [now + start-up, now + start-up + predictive window]. The
  // schema's one-hour minimum guards hand-written configs; a replay asks for exactly what is read, which
  // changes no decision and saves most of the forecaster's work (it runs every simulated minute).
  const neededSeconds = trace.meta.podStartupSeconds + policyFor(config.policy, config.targets[0]).predictiveWindowSeconds + trace.meta.stepSeconds;
  config.forecast.horizonHours = Math.min(config.forecast.horizonHours, neededSeconds / 3600);
  return { config, file: user?.file ?? join(trace.dir, 'meta.json'), baseDir: trace.dir };
}
