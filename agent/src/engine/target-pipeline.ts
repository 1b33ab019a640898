/**
 * One target's work for one tick: read → see → detect and forecast → plan → publish → act. The pipeline
 * owns everything the target remembers between ticks (its detector, forecaster, planner memory and last
 * good reading); the state only receives what each tick concluded, written in one place.
 */
import type { PlanPolicy, TargetConfig } from '../config/schema';
import { policyFor } from '../config/target-policy';
import type { AgentConfig } from '../config/agent-config';
import { expectedWeddingLoad } from '../calendar/rules';
import { TargetCalendars } from '../calendar/target-calendar';
import type { AnomalyDetector, AnomalyResult } from '../detect/detector';
import type { Forecast, Forecaster } from '../forecast/forecaster';
import { checkFinite } from '../forecast/finite-forecast';
import type { AgentMetrics } from '../metrics/agent-metrics';
import type { CountSeries, HistogramSeries } from '../metrics/hot-path';
import { fleetInput } from '../fleet/fleet-input';
import { activeOverrides } from '../plan/overrides';
import { planReplicas } from '../plan/plan-replicas';
import { EMPTY_MEMORY, type Decision, type PlanMemory } from '../plan/types';
import type { Scaler, WorkloadState } from '../contracts/scaler';
import type { LoadReading, LoadSource } from '../contracts/load-source';
import { plausibleHistory, plausibleReading } from '../contracts/plausible-load';
import type { AgentState, TargetCost, TargetState, TargetView } from '../state';
import type { Logger } from '../util/logger';
import type { PriceBook } from '../cost/price-book';
import { projectLoad, type Projection } from './capacity-projection';

export interface PipelineDeps {
  config: AgentConfig;
  state: AgentState;
  source: LoadSource;
  scaler: Scaler;
  metrics: AgentMetrics;
  logger: Logger;
  /** Only the leader acts on the cluster; followers decide and serve reads. */
  isLeader: () => boolean;
  detector: AnomalyDetector;
  forecaster: Forecaster;
  /** Where a replica-hour's price comes from (OpenCost, the price table, or unknown). */
  prices: PriceBook;
}

export class TargetPipeline {
  private planMemory: PlanMemory = EMPTY_MEMORY;
  /** The newest sample seen: its wall time (shown), and the monotonic instant it was that old at (aged). */
  private lastGood: { value: number; atMs: number; monoAtMs: number } | null = null;
  private inAnomaly = false;
  private readonly target: TargetConfig;
  private readonly staleAfterMs: number;
  /** The global policy with this target's own settings in their place (config/target-policy.ts). */
  private readonly policy: PlanPolicy;
  /** This target's every-tick metric series, looked up once (metrics/hot-path.ts). */
  private readonly counted: {
    decisions: Record<'up' | 'down' | 'hold', CountSeries<'target' | 'direction'>>;
    reads: Record<'success' | 'error', CountSeries<'source' | 'outcome'>>;
    readSeconds: HistogramSeries;
  };
  /** This target's calendar answers, kept between ticks while the calendar says the same. */
  private readonly calendars: TargetCalendars;

  constructor(
    private readonly out: TargetState,
    private readonly deps: PipelineDeps,
  ) {
    this.target = out.config;
    // The source says how long its readings may be trusted; the engine never reads plug-in config. (A loop
    // may be built before its sources are: then the default, as for a source with no such setting.)
    const source: LoadSource | undefined = deps.source;
    this.staleAfterMs = (source?.staleAfterSeconds ?? Math.max(60, deps.config.agent.tickSeconds * 4)) * 1000;
    this.policy = policyFor(deps.config.policy, this.target);
    this.calendars = new TargetCalendars(this.target);
    const { metrics } = deps;
    const target = this.target.id;
    const sourceName = this.target.load.source;
    this.counted = {
      decisions: {
        up: metrics.decisions.seriesFor({ target, direction: 'up' }),
        down: metrics.decisions.seriesFor({ target, direction: 'down' }),
        hold: metrics.decisions.seriesFor({ target, direction: 'hold' }),
      },
      reads: {
        success: metrics.sourceRequests.seriesFor({ source: sourceName, outcome: 'success' }),
        error: metrics.sourceRequests.seriesFor({ source: sourceName, outcome: 'error' }),
      },
      readSeconds: metrics.sourceDuration.seriesFor({ source: sourceName }),
    };
  }

  /** Feeds history (cold-start backfill) to the forecaster and detector, oldest first. */
  seed(history: ReadonlyArray<{ tMs: number; value: number }>): void {
    const { detector, forecaster, state, logger } = this.deps;
    const { points, dropped } = plausibleHistory(history, this.target);
    if (dropped)
      logger.warn({ target: this.target.id, dropped }, 'backfilled history had implausible points (above maxReplicas × capacityPerPod × 100): left out');
    for (const p of points) {
      forecaster.observe(p.tMs, p.value);
      // The same wedding context a live tick gives: only the weddings this target serves.
      detector.update(p.tMs, p.value, { expectedWeddingLoad: expectedWeddingLoad(state.calendar, p.tMs, this.target.timezones) });
    }
  }

  /** The load this target's forecaster expects on a grid, for the capacity plan (capacity-projection.ts). */
  project(now: number, start: number, stepMs: number, n: number): Projection {
    const { forecaster, state } = this.deps;
    try {
      return projectLoad(forecaster, (t) => expectedWeddingLoad(state.calendar, t, this.target.timezones), now, start, stepMs, n);
    } catch (err) {
      this.deps.logger.error({ err, target: this.target.id }, 'capacity projection failed');
      return { values: new Array<null>(n).fill(null), method: `failed: ${(err as Error).message}` };
    }
  }

  /** One tick at wall instant `now` and monotonic instant `mono` (util/clock.ts: which is for what). */
  async run(now: number, mono: number = now): Promise<void> {
    const { scaler, metrics, logger, config } = this.deps;
    const reading = await this.read(now, mono);
    const view = this.see(now, mono, reading);
    // Only fresh data teaches the detector and forecaster: a failed read carries no new fact.
    const anomaly = reading.ok ? this.learn(now, reading.value, view) : undefined;
    const forecast = this.predict(now, view);

    // Awaited in a try rather than through .catch(): one promise and one microtask less, every tick.
    const workloadRead = scaler.read(this.target);
    let workload: WorkloadState | { error: string };
    try {
      workload = await workloadRead;
    } catch (err) {
      workload = { error: (err as Error).message };
    }
    if ('error' in workload) {
      metrics.tickErrors.inc({ stage: 'scale-read' });
      logger.warn({ target: this.target.id, error: workload.error }, 'reading the workload failed; not deciding this tick');
      this.publish(view, anomaly, forecast, { lastScaleError: workload.error });
      return;
    }
    const price = this.deps.prices.price(this.target, workload.podRequests);
    const { decision, memory } = planReplicas(
      {
        target: this.target,
        currentReplicas: workload.replicas,
        observed: view.load,
        readFailed: view.readError !== null,
        forecast: forecast?.points ?? [],
        calendar: view.calendar,
        overrides: view.overrides,
        memory: this.planMemory,
        // The surge rule arms on the detector's onset; a failed read carries no fresh verdict.
        anomaly,
        // Lead time measured from the cluster (replica increase → ready) when the scaler knows it.
        measuredStartupSeconds: workload.measuredStartupSeconds,
        // Elapsed-time rules (stabilisation, step limits, ramp-down, surge) measure on the monotonic clock.
        monoMs: mono,
        // Peer clusters (fleet.peers): the fleet source's last status, published on its own timer.
        fleet: fleetInput(config.fleet, this.deps.state.fleet),
        // The planner stays pure: it is told the price, and says what each protection costs.
        price: price.perReplicaHour !== null ? { perReplicaHour: price.perReplicaHour, currency: price.currency } : undefined,
      },
      this.policy,
      now,
    );
    this.planMemory = memory;
    const direction = decision.desiredReplicas > workload.replicas ? 'up' : decision.desiredReplicas < workload.replicas ? 'down' : 'hold';
    this.counted.decisions[direction].inc();
    if (direction !== 'hold' || this.out.decision?.desiredReplicas !== decision.desiredReplicas) this.deps.state.decisions.push(decision);
    // The workload answered: a past failure stays reported only if this tick's change fails again.
    // Written out rather than spread: a spread of the price plus one more key cost ~2 µs a tick (V8's slow clone path).
    const cost: TargetCost = {
      perReplicaHour: price.perReplicaHour,
      currency: price.currency,
      source: price.source,
      detail: price.detail,
      perHour: price.perReplicaHour === null ? null : price.perReplicaHour * workload.replicas,
    };
    this.publish(view, anomaly, forecast, { workload, decision, lastScaleError: null, cost });

    if (direction !== 'hold' && this.deps.isLeader()) await this.act(decision, workload, direction);
  }

  private async read(now: number, mono: number): Promise<LoadReading> {
    const { source, logger } = this.deps;
    const startedMs = performance.now();
    const asked = source.read(this.target, now);
    let read: LoadReading;
    try {
      read = await asked;
    } catch (err) {
      read = { ok: false as const, error: (err as Error).message, atMs: now };
    }
    const reading = plausibleReading(read, this.target);
    this.counted.readSeconds.observe((performance.now() - startedMs) / 1000);
    this.counted.reads[reading.ok ? 'success' : 'error'].inc();
    if (reading.ok) this.remember(reading, now, mono);
    else logger.warn({ target: this.target.id, error: reading.error }, 'load read failed');
    return reading;
  }

  /**
   * A reading's age is taken once, on arrival, from wall times (the sample's and ours; never negative),
   * and from then on it ages on the monotonic clock: a wall-clock step back cannot make an old sample
   * young again, and a step forward cannot age a sample already held. A sample no newer than the one
   * already held (a stalled source repeating itself) keeps the age it had. (A sample arriving after our
   * clock stepped forward, stamped by a source whose clock did not, looks old: the planner holds, the
   * safe side.)
   */
  private remember(reading: { value: number; atMs: number }, now: number, mono: number): void {
    const prev = this.lastGood;
    const monoAtMs = mono - Math.max(0, now - reading.atMs);
    const notNewer = prev !== null && reading.atMs <= prev.atMs;
    this.lastGood = { value: reading.value, atMs: reading.atMs, monoAtMs: notNewer ? Math.min(prev.monoAtMs, monoAtMs) : monoAtMs };
  }

  /** The target view: every fact about the world this tick, asked once. */
  private see(now: number, mono: number, reading: LoadReading): TargetView {
    const { state } = this.deps;
    const fresh = this.lastGood !== null && mono - this.lastGood.monoAtMs <= this.staleAfterMs;
    return {
      atMs: now,
      load: fresh ? this.lastGood!.value : null,
      readError: reading.ok ? null : reading.error,
      calendar: this.calendars.at(state.calendar, now),
      overrides: activeOverrides(state.overrides, this.target.id, now),
    };
  }

  private learn(now: number, value: number, view: TargetView): AnomalyResult | undefined {
    const { detector, forecaster, metrics, logger, state, config } = this.deps;
    let anomaly: AnomalyResult | undefined;
    try {
      anomaly = detector.update(now, value, { expectedWeddingLoad: view.calendar.expectedLoad });
      const anomalous = anomaly.kind !== 'none' && anomaly.score >= config.detection.threshold;
      // Count onsets, not every anomalous point: one spike is one anomaly however long it lasts.
      if (anomalous && !this.inAnomaly) {
        state.anomalies.push({ targetId: this.target.id, series: 'load', atMs: now, value, score: anomaly.score, kind: anomaly.kind });
        metrics.anomalies.inc({ target: this.target.id, kind: anomaly.kind });
      }
      this.inAnomaly = anomalous;
      forecaster.observe(now, value);
    } catch (err) {
      metrics.tickErrors.inc({ stage: 'detect' });
      logger.error({ err, target: this.target.id }, 'detector or forecaster failed');
    }
    return anomaly;
  }

  private predict(now: number, view: TargetView): Forecast | null {
    const { forecaster, metrics, logger, config } = this.deps;
    try {
      const stepMs = config.forecast.stepSeconds * 1000;
      const steps = Math.ceil((config.forecast.horizonHours * 3600_000) / stepMs);
      const checked = checkFinite(forecaster.forecast(now, stepMs, steps, { expectedWeddingLoad: view.calendar.expectedLoadAt }));
      if ('forecast' in checked) return checked.forecast;
      metrics.tickErrors.inc({ stage: 'forecast' });
      logger.error({ target: this.target.id, error: checked.error }, 'forecast refused: planning without it');
      return null;
    } catch (err) {
      metrics.tickErrors.inc({ stage: 'forecast' });
      logger.error({ err, target: this.target.id }, 'forecast failed');
      return null;
    }
  }

  /** The one place a tick's conclusions reach the state; what a tick could not learn keeps its last value. */
  private publish(
    view: TargetView,
    anomaly: AnomalyResult | undefined,
    forecast: Forecast | null,
    outcome: { workload?: WorkloadState; decision?: Decision; lastScaleError: string | null; cost?: TargetCost },
  ): void {
    const t = this.out;
    t.observed = this.lastGood && { value: this.lastGood.value, atMs: this.lastGood.atMs };
    t.stale = view.load === null;
    t.lastReadError = view.readError;
    t.view = view;
    if (anomaly) t.anomaly = anomaly;
    if (forecast) t.forecast = forecast;
    if (outcome.workload) t.workload = outcome.workload;
    if (outcome.decision) t.decision = outcome.decision;
    if (outcome.cost) t.cost = outcome.cost;
    t.lastScaleError = outcome.lastScaleError;
  }

  private async act(decision: Decision, workload: WorkloadState, direction: 'up' | 'down'): Promise<void> {
    const { scaler, metrics, logger } = this.deps;
    const id = this.target.id;
    const result = await scaler.apply(this.target, decision).catch((err: Error) => ({ ok: false as const, error: err.message }));
    if (!result.ok) {
      metrics.scaleOperations.inc({ target: id, direction, outcome: 'error' });
      metrics.scaleErrors.inc({ target: id });
      this.out.lastScaleError = result.error;
      logger.error({ target: id, error: result.error, desired: decision.desiredReplicas }, 'scaling failed');
      return;
    }
    // Held back by the mode (dry-run, shadow) or already there: nothing changed, so nothing is counted as scaled.
    if (!result.changed) return;
    metrics.scaleOperations.inc({ target: id, direction, outcome: 'success' });
    logger.info({ target: id, from: workload.replicas, to: decision.desiredReplicas, reasons: decision.reasons.map((r) => r.rule) }, 'scaled');
  }
}
