/**
 * The agent's own Prometheus metrics. Gauges are read from the state at scrape time (collect), so
 * /metrics always shows what the state holds; counters are incremented by the loop as things happen.
 * Each agent gets its own Registry (tests build many agents in one process).
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { HotCounter, HotHistogram, type CountSeries } from './hot-path';
import { forecastAtLead, type AgentState } from '../state';
import { METRIC } from './names';

/**
 * What the loop counts and times. The every-tick ones are hot-path metrics (hot-path.ts): the loop looks
 * their series up once and keeps them.
 */
export interface AgentMetrics {
  registry: Registry;
  ticks: CountSeries<string>;
  ticksSkipped: Counter<string>;
  tickErrors: Counter<'stage'>;
  tickDuration: HotHistogram;
  decisions: HotCounter<'target' | 'direction'>;
  scaleOperations: Counter<'target' | 'direction' | 'outcome'>;
  scaleErrors: Counter<'target'>;
  anomalies: Counter<'target' | 'kind'>;
  sourceRequests: HotCounter<'source' | 'outcome'>;
  sourceDuration: HotHistogram<'source'>;
}

const PROTECTIONS = [
  'saturday',
  'peak_season',
  'wedding_headroom',
  'post_wedding_rampdown',
  'override_pin',
  'override_floor',
  'override_freeze',
  'stale_data',
  'peer_failover',
  'fleet_data_missing',
] as const;

export function createAgentMetrics(state: AgentState, registry = new Registry()): AgentMetrics {
  const targets = () => [...state.targets.values()];
  const perTarget = (name: string, help: string, read: (t: ReturnType<typeof targets>[number]) => number | null | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['target'],
      registers: [registry],
      collect() {
        this.reset();
        for (const t of targets()) {
          const v = read(t);
          if (v !== null && v !== undefined && Number.isFinite(v)) this.set({ target: t.config.id }, v);
        }
      },
    });

  new Gauge({
    name: METRIC.buildInfo,
    help: 'Agent version and mode (always 1).',
    labelNames: ['version', 'mode', 'cluster'],
    registers: [registry],
    collect() {
      this.reset();
      this.set({ version: state.info.version, mode: state.info.mode, cluster: state.info.cluster }, 1);
    },
  });
  new Gauge({
    name: METRIC.leader,
    help: '1 when this replica leads (acts on the cluster), else 0.',
    registers: [registry],
    collect() {
      this.set(state.info.leader ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC.lastTickTimestampSeconds,
    help: 'When the last tick finished (Unix seconds, agent clock).',
    registers: [registry],
    collect() {
      if (state.info.lastTickMs !== null) this.set(state.info.lastTickMs / 1000);
    },
  });

  perTarget(METRIC.observedLoad, 'Last good observed load of the target (its load unit, e.g. requests/s).', (t) => t.observed?.value);
  perTarget(METRIC.loadStale, '1 when the target load is missing or stale (the planner holds), else 0.', (t) => (t.stale ? 1 : 0));
  perTarget(METRIC.loadLastSuccessTimestampSeconds, 'When the target load was last read successfully (Unix seconds).', (t) =>
    t.observed ? t.observed.atMs / 1000 : null,
  );
  const leadPoint = (t: ReturnType<typeof targets>[number]) => forecastAtLead(t, state.info.lastTickMs);
  perTarget(METRIC.forecastLoad, 'Forecast load one pod start-up ahead (the planner lead time).', (t) => leadPoint(t)?.value);
  perTarget(METRIC.forecastLowerLoad, 'Lower bound of the forecast one pod start-up ahead.', (t) => leadPoint(t)?.lower);
  perTarget(METRIC.forecastUpperLoad, 'Upper bound of the forecast one pod start-up ahead.', (t) => leadPoint(t)?.upper);
  perTarget(METRIC.forecastColdStart, '1 while the forecast relies on the calendar prior alone.', (t) => (t.forecast ? (t.forecast.coldStart ? 1 : 0) : null));
  perTarget(METRIC.expectedWeddingLoad, 'Load the calendar expects from live weddings now.', (t) => t.view?.calendar.expectedLoad);
  perTarget(METRIC.capacityLoad, 'Load the ready replicas serve at the target utilisation.', (t) =>
    t.workload ? t.workload.readyReplicas * t.config.capacityPerPod * t.config.targetUtilization : null,
  );
  perTarget(METRIC.utilizationRatio, 'Observed load ÷ (ready replicas × capacity per pod).', (t) =>
    t.workload && t.observed && t.workload.readyReplicas > 0 ? t.observed.value / (t.workload.readyReplicas * t.config.capacityPerPod) : null,
  );
  perTarget(METRIC.replicasCurrent, 'Replicas the workload has asked for (spec).', (t) => t.workload?.replicas);
  perTarget(METRIC.replicasReady, 'Ready replicas of the workload.', (t) => t.workload?.readyReplicas);
  perTarget(METRIC.replicasDesired, 'Replicas the planner wants.', (t) => t.decision?.desiredReplicas);
  perTarget(METRIC.replicasMin, 'Configured minimum replicas.', (t) => t.config.minReplicas);
  perTarget(METRIC.replicasMax, 'Configured maximum replicas.', (t) => t.config.maxReplicas);
  perTarget(METRIC.workloadGeneration, 'metadata.generation of the workload (changes on deploys).', (t) => t.workload?.generation);
  perTarget(METRIC.activeWeddings, 'Weddings live now in the time zones the target serves.', (t) => t.view?.calendar.live.length);
  perTarget(METRIC.deployFreeze, '1 while weddings are live on a protected day for the target (deploys should wait).', (t) =>
    t.view?.calendar.freeze.frozen ? 1 : 0,
  );
  // Prometheus knows until when a freeze holds even while the agent is down (WedSyncFreezeUnenforced).
  perTarget(METRIC.deployFreezeUntilTimestampSeconds, 'While frozen: when the deploy freeze of the target ends (Unix seconds).', (t) => {
    const until = t.view?.calendar.freeze.untilMs;
    return until === null || until === undefined ? null : until / 1000;
  });
  perTarget(METRIC.peakSeason, '1 in peak wedding season for the target region.', (t) => (t.view ? (t.view.calendar.peakSeason ? 1 : 0) : null));
  // No series while the price is unknown: an absent cost is "unknown", a 0 would read as "free".
  perTarget(
    METRIC.costPerHour,
    'What the running replicas of the target cost per hour (price per replica-hour × replicas), in the pricing currency.',
    (t) => t.cost?.perHour,
  );
  perTarget(
    METRIC.costPerReplicaHour,
    'Price of one replica-hour of the target (OpenCost or the price table), in the pricing currency.',
    (t) => t.cost?.perReplicaHour,
  );
  perTarget(METRIC.anomalyScore, 'Latest anomaly score of the target load, 0–1.', (t) => t.anomaly.score);

  new Gauge({
    name: METRIC.protectionActive,
    help: 'Protections shaping the decision (1 active, 0 not), by kind.',
    labelNames: ['target', 'protection'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of targets()) for (const p of PROTECTIONS) this.set({ target: t.config.id, protection: p }, t.decision?.protections.includes(p) ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC.overridesActive,
    help: 'Operator overrides in force, by target and type.',
    labelNames: ['target', 'type'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of targets())
        for (const type of ['pin', 'floor', 'freeze']) this.set({ target: t.config.id, type }, t.view?.overrides.filter((o) => o.type === type).length ?? 0);
    },
  });
  new Gauge({
    name: METRIC.pageCondition,
    help: 'Page-worthy conditions (paging/definitions.ts): 1 while one holds past its duration. The alert rules page on this series.',
    labelNames: ['kind', 'subject', 'severity', 'wedding_day'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of state.pageConditions) this.set({ kind: c.kind, subject: c.subject, severity: c.severity, wedding_day: String(c.weddingDay) }, 1);
    },
  });
  new Gauge({
    name: METRIC.calendarWeddings,
    help: 'Weddings in the merged calendar.',
    registers: [registry],
    collect() {
      this.set(state.calendar.weddingCount);
    },
  });
  new Gauge({
    name: METRIC.calendarSourceUp,
    help: '1 when the calendar source last loaded, 0 when it failed (the last good calendar is kept).',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of state.calendarSources) this.set({ source: s.location }, s.ok ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC.calendarLastSuccessTimestampSeconds,
    help: 'When the calendar source last loaded (Unix seconds).',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of state.calendarSources) if (s.lastSuccessMs !== null) this.set({ source: s.location }, s.lastSuccessMs / 1000);
    },
  });

  new Gauge({
    name: METRIC.calendarUpdateHeld,
    help: '1 while a calendar update that removes too many upcoming weddings is held (the last good calendar stays in force until an operator confirms it).',
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of state.calendarSources) this.set({ source: s.location }, s.held ? 1 : 0);
    },
  });
  new Gauge({
    name: METRIC.calendarEventsSkipped,
    help: "Events of the calendar source's last read left out because they could not be read (each is named in the warning log and GET /status); the rest of the source is in force.",
    labelNames: ['source'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of state.calendarSources) this.set({ source: s.location }, s.skippedEvents);
    },
  });
  new Gauge({
    name: METRIC.calendarUpcomingWeddings,
    help: 'Upcoming weddings of a held calendar update (calendar="held") and of the calendar it would replace (calendar="in_force").',
    labelNames: ['source', 'calendar'],
    registers: [registry],
    collect() {
      this.reset();
      for (const s of state.calendarSources) {
        if (!s.held) continue;
        this.set({ source: s.location, calendar: 'in_force' }, s.held.upcomingBefore);
        this.set({ source: s.location, calendar: 'held' }, s.held.upcomingAfter);
      }
    },
  });

  return {
    registry,
    ticks: new HotCounter({ name: METRIC.ticksTotal, help: 'Control-loop ticks run.', registers: [registry] }).seriesFor(),
    ticksSkipped: new Counter({ name: METRIC.ticksSkippedTotal, help: 'Ticks skipped because the previous one was still running.', registers: [registry] }),
    tickErrors: new Counter({ name: METRIC.tickErrorsTotal, help: 'Errors inside ticks, by stage.', labelNames: ['stage'], registers: [registry] }),
    tickDuration: new HotHistogram({
      name: METRIC.tickDurationSeconds,
      help: 'Tick duration.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    decisions: new HotCounter({
      name: METRIC.decisionsTotal,
      help: 'Planner decisions, by direction (up, down, hold).',
      labelNames: ['target', 'direction'],
      registers: [registry],
    }),
    scaleOperations: new Counter({
      name: METRIC.scaleOperationsTotal,
      help: 'Changes sent to the scaler, by outcome.',
      labelNames: ['target', 'direction', 'outcome'],
      registers: [registry],
    }),
    scaleErrors: new Counter({ name: METRIC.scaleErrorsTotal, help: 'Failed scale operations.', labelNames: ['target'], registers: [registry] }),
    anomalies: new Counter({ name: METRIC.anomaliesTotal, help: 'Anomalies detected, by kind.', labelNames: ['target', 'kind'], registers: [registry] }),
    sourceRequests: new HotCounter({
      name: METRIC.sourceRequestsTotal,
      help: 'Load reads, by source and outcome.',
      labelNames: ['source', 'outcome'],
      registers: [registry],
    }),
    sourceDuration: new HotHistogram({
      name: METRIC.sourceRequestDurationSeconds,
      help: 'Load read duration.',
      labelNames: ['source'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10],
      registers: [registry],
    }),
  };
}
