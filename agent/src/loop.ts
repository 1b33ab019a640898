/**
 * The control loop. Each tick, for every target: read load → detect and forecast → plan → scale →
 * write state. One tick at a time (a slow tick makes the next one skip, never overlap); a tick never
 * throws (each stage's failure is counted and logged, and the other targets carry on).
 */
import type { AgentConfig, TargetConfig } from './config/schema';
import { indexCalendar, expectedWeddingLoad, isPeakSeason, liveWeddings } from './calendar/rules';
import type { WeddingCalendar } from './calendar/model';
import type { CalendarSourceStatus } from './calendar/calendar-source';
import type { AnomalyDetector, DetectorFactory } from './detect/detector';
import type { ForecastContext, Forecaster, ForecasterFactory } from './forecast/forecaster';
import { planReplicas } from './plan/plan-replicas';
import type { Scaler } from './scale/scaler';
import type { LoadSource } from './sources/source';
import type { AgentMetrics } from './metrics/agent-metrics';
import type { AgentState, TargetState } from './state';
import type { Clock } from './util/clock';
import type { Logger } from './util/logger';

export interface CalendarProvider {
  refresh(): Promise<WeddingCalendar>;
  readonly status: Map<string, CalendarSourceStatus>;
}

export interface LoopDeps {
  config: AgentConfig;
  state: AgentState;
  sources: Record<string, LoadSource>;
  scaler: Scaler;
  calendar: CalendarProvider;
  clock: Clock;
  metrics: AgentMetrics;
  logger: Logger;
  newDetector: DetectorFactory;
  newForecaster: ForecasterFactory;
  /** Only the leader acts on the cluster; followers decide and serve reads. */
  isLeader?: () => boolean;
  /** Called after every tick with the fresh state (sinks, paging). Must not throw. */
  afterTick?: (state: AgentState) => void;
}

interface Brain {
  detector: AnomalyDetector;
  forecaster: Forecaster;
  inAnomaly: boolean;
}

export class ControlLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastCalendarRefreshMs = -Infinity;
  private readonly brains = new Map<string, Brain>();
  /** A target whose work outlived the tick timeout: skipped until it settles, so work never overlaps. */
  private readonly busy = new Map<string, Promise<void>>();

  constructor(private readonly deps: LoopDeps) {
    for (const t of deps.config.targets) this.brains.set(t.id, { detector: deps.newDetector(), forecaster: deps.newForecaster(), inAnomaly: false });
  }

  /** Feeds history (cold-start backfill) to a target's forecaster and detector, oldest first. */
  seed(targetId: string, points: Array<{ tMs: number; value: number }>): void {
    const brain = this.brains.get(targetId);
    const target = this.deps.state.targets.get(targetId)?.config;
    if (!brain || !target) return;
    const index = this.deps.state.calendar;
    for (const p of points) {
      brain.forecaster.observe(p.tMs, p.value);
      // The same wedding context a live tick gives: only the weddings this target serves.
      brain.detector.update(p.tMs, p.value, { expectedWeddingLoad: expectedWeddingLoad(index, p.tMs, target.timezones) });
    }
  }

  start(): void {
    const periodMs = this.deps.config.agent.tickSeconds * 1000;
    this.timer = setInterval(() => void this.trigger(), periodMs);
    this.timer.unref();
    void this.trigger();
  }

  /** Runs a tick unless one is still going (then the tick is skipped and counted). */
  trigger(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.deps.metrics.ticksSkipped.inc();
      return this.running;
    }
    this.running = this.tick().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops the timer and waits (up to `deadlineMs`) for the tick in flight. Idempotent. */
  async stop(deadlineMs = 8000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, deadlineMs).unref())]);
  }

  async tick(): Promise<void> {
    const { state, metrics, logger, clock } = this.deps;
    const now = clock();
    const endTimer = metrics.tickDuration.startTimer();
    const started = Date.now();
    try {
      await this.refreshCalendar(now);
      await Promise.all([...state.targets.values()].map((t) => this.tickTargetWithin(t, now)));
    } catch (err) {
      metrics.tickErrors.inc({ stage: 'tick' });
      logger.error({ err }, 'tick failed');
    } finally {
      endTimer();
      metrics.ticks.inc();
      state.info.lastTickMs = now;
      state.info.lastTickDurationMs = Date.now() - started;
      state.info.ticks++;
      state.info.ready = true;
      try {
        this.deps.afterTick?.(state);
      } catch (err) {
        logger.error({ err }, 'afterTick hook failed');
      }
    }
  }

  /**
   * Runs one target's tick, waiting at most tickTimeoutSeconds. A target that overruns is counted and
   * left to finish in the background; it is skipped on later ticks until it does, so the tick stays
   * bounded for every other target and no target's work ever overlaps itself.
   */
  private async tickTargetWithin(t: TargetState, now: number): Promise<void> {
    const { metrics, logger, config } = this.deps;
    const id = t.config.id;
    if (this.busy.has(id)) {
      metrics.tickErrors.inc({ stage: 'target-busy' });
      logger.warn({ target: id }, 'previous work for this target is still running; skipping it this tick');
      return;
    }
    const work = this.tickTarget(t, now).catch((err) => {
      metrics.tickErrors.inc({ stage: 'target' });
      logger.error({ err, target: id }, 'target tick failed');
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), config.agent.tickTimeoutSeconds * 1000);
      timer.unref();
    });
    const outcome = await Promise.race([work, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      metrics.tickErrors.inc({ stage: 'timeout' });
      logger.error({ target: id, timeoutSeconds: config.agent.tickTimeoutSeconds }, 'target tick timed out');
      this.busy.set(id, work);
      void work.finally(() => this.busy.delete(id));
    }
  }

  /** Re-reads the calendar when refreshSeconds have passed (the agent also calls it once before backfill). */
  async refreshCalendar(now: number): Promise<void> {
    const { config, state, calendar, logger, metrics } = this.deps;
    if (now - this.lastCalendarRefreshMs < config.calendar.refreshSeconds * 1000) return;
    this.lastCalendarRefreshMs = now;
    const cal = await calendar.refresh();
    state.calendar = indexCalendar(cal, config.wedding);
    state.calendarSources = [...calendar.status.values()];
    for (const s of state.calendarSources) {
      if (!s.ok) {
        metrics.tickErrors.inc({ stage: 'calendar' });
        logger.warn({ source: s.location, error: s.lastError }, 'calendar source failed; keeping the last good calendar');
      }
    }
  }

  private async tickTarget(t: TargetState, now: number): Promise<void> {
    const { config, state, metrics, logger, scaler } = this.deps;
    const target = t.config;
    const brain = this.brains.get(target.id)!;
    const index = state.calendar;

    // Read.
    const source = this.deps.sources[target.load.source];
    const endRead = metrics.sourceDuration.startTimer({ source: target.load.source });
    const reading = await source.read(target, now).catch((err: Error) => ({ ok: false as const, error: err.message, atMs: now }));
    endRead();
    metrics.sourceRequests.inc({ source: target.load.source, outcome: reading.ok ? 'success' : 'error' });
    const staleAfterMs = staleAfterSeconds(config, target) * 1000;
    if (reading.ok) {
      t.observed = { value: reading.value, atMs: reading.atMs };
      t.lastReadError = null;
    } else {
      t.lastReadError = reading.error;
      logger.warn({ target: target.id, error: reading.error }, 'load read failed');
    }
    t.stale = !t.observed || now - t.observed.atMs > staleAfterMs;

    // Detect and forecast (only on fresh data: a failed read teaches nothing).
    const ctx: ForecastContext = {
      expectedWeddingLoad: (tMs) => expectedWeddingLoad(index, tMs, target.timezones),
      isPeakSeason: (tMs) => isPeakSeason(tMs, index.rules, target.region),
    };
    t.expectedWeddingLoad = ctx.expectedWeddingLoad(now);
    t.liveWeddings = liveWeddings(index, now, target.timezones).length;
    t.peakSeason = ctx.isPeakSeason(now);
    if (reading.ok) {
      try {
        t.anomaly = brain.detector.update(now, reading.value, { expectedWeddingLoad: t.expectedWeddingLoad });
        this.recordAnomaly(t, brain, now, reading.value);
        brain.forecaster.observe(now, reading.value);
      } catch (err) {
        metrics.tickErrors.inc({ stage: 'detect' });
        logger.error({ err, target: target.id }, 'detector or forecaster failed');
      }
    }
    try {
      const stepMs = config.forecast.stepSeconds * 1000;
      t.forecast = brain.forecaster.forecast(now, stepMs, Math.ceil((config.forecast.horizonHours * 3600_000) / stepMs), ctx);
    } catch (err) {
      metrics.tickErrors.inc({ stage: 'forecast' });
      logger.error({ err, target: target.id }, 'forecast failed');
    }

    // Plan.
    const workload = await scaler.read(target).catch((err: Error) => ({ error: err.message }));
    if ('error' in workload) {
      metrics.tickErrors.inc({ stage: 'scale-read' });
      t.lastScaleError = workload.error;
      logger.warn({ target: target.id, error: workload.error }, 'reading the workload failed; not deciding this tick');
      return;
    }
    t.workload = workload;
    // The workload answered: a past failure stays reported only if this tick's change fails again below.
    t.lastScaleError = null;
    const { decision, memory } = planReplicas(
      {
        target,
        currentReplicas: workload.replicas,
        observed: t.stale ? null : t.observed!.value,
        forecast: t.forecast?.points ?? [],
        calendar: index,
        overrides: state.activeOverrides(now, target.id),
        memory: t.memory,
        // The surge rule arms on the detector's onset; a failed read carries no fresh verdict.
        anomaly: reading.ok ? t.anomaly : undefined,
        // Lead time measured from the cluster (replica increase → ready) when the scaler knows it.
        measuredStartupSeconds: workload.measuredStartupSeconds,
      },
      config.policy,
      now,
    );
    const direction = decision.desiredReplicas > workload.replicas ? 'up' : decision.desiredReplicas < workload.replicas ? 'down' : 'hold';
    metrics.decisions.inc({ target: target.id, direction });
    if (direction !== 'hold' || t.decision?.desiredReplicas !== decision.desiredReplicas) state.decisions.push(decision);
    t.decision = decision;
    t.memory = memory;

    // Act (leader only).
    if (direction === 'hold' || !(this.deps.isLeader?.() ?? true)) return;
    const result = await scaler.apply(target, decision).catch((err: Error) => ({ ok: false as const, error: err.message }));
    metrics.scaleOperations.inc({ target: target.id, direction, outcome: result.ok ? 'success' : 'error' });
    if (!result.ok) {
      metrics.scaleErrors.inc({ target: target.id });
      t.lastScaleError = result.error;
      logger.error({ target: target.id, error: result.error, desired: decision.desiredReplicas }, 'scaling failed');
      return;
    }
    t.lastScaleError = null;
    logger.info({ target: target.id, from: workload.replicas, to: decision.desiredReplicas, reasons: decision.reasons.map((r) => r.rule) }, 'scaled');
  }

  private recordAnomaly(t: TargetState, brain: Brain, now: number, value: number): void {
    const threshold = this.deps.config.detection.threshold;
    const anomalous = t.anomaly.kind !== 'none' && t.anomaly.score >= threshold;
    // Count onsets, not every anomalous point: one spike is one anomaly however long it lasts.
    if (anomalous && !brain.inAnomaly) {
      this.deps.state.anomalies.push({ targetId: t.config.id, series: 'load', atMs: now, value, score: t.anomaly.score, kind: t.anomaly.kind });
      this.deps.metrics.anomalies.inc({ target: t.config.id, kind: t.anomaly.kind });
    }
    brain.inAnomaly = anomalous;
  }
}

function staleAfterSeconds(config: AgentConfig, target: TargetConfig): number {
  const src = config.sources[target.load.source];
  return src && 'staleAfterSeconds' in src ? src.staleAfterSeconds : Math.max(60, config.agent.tickSeconds * 4);
}
