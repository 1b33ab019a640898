/**
 * The control loop's scheduler: one tick at a time (a slow tick makes the next one skip, never overlap),
 * each target's pipeline bounded by tickTimeoutSeconds, a tick that never throws, a stop that waits for
 * the tick in flight. One target's tick is target-pipeline.ts; the calendar refreshes off the tick.
 */
import type { LoopDeps } from './loop-deps';
import { TargetPipeline } from './target-pipeline';
import { PriceBook } from '../cost/price-book';
import { RepeatedDeadline } from '../util/timeout';

export type { LoopDeps };

export class ControlLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private lastFinishedMono: number | null = null;
  private readonly pipelines = new Map<string, TargetPipeline>();
  /** A target whose work outlived the tick timeout: skipped until it settles, so work never overlaps. */
  private readonly busy = new Map<string, Promise<void>>();
  /** Per target, the tick timeout: one timer re-armed each tick rather than a new one (util/timeout.ts). */
  private readonly deadlines = new Map<string, RepeatedDeadline>();
  private readonly monotonic: () => number;
  /** The pipeline, when there is exactly one. */
  private readonly only: { id: string; pipeline: TargetPipeline } | null;

  constructor(private readonly deps: LoopDeps) {
    this.monotonic = deps.monotonic ?? (() => performance.now());
    const isLeader = deps.isLeader ?? (() => true);
    const prices = deps.prices ?? new PriceBook(deps.config.pricing, deps.clock);
    for (const t of deps.state.targets.values()) {
      const source = deps.sources[t.config.load.source];
      const pipelineDeps = { ...deps, source, isLeader, prices, detector: deps.newDetector(), forecaster: deps.newForecaster() };
      this.pipelines.set(t.config.id, new TargetPipeline(t, pipelineDeps));
      this.deadlines.set(t.config.id, new RepeatedDeadline(deps.config.agent.tickTimeoutSeconds * 1000));
    }
    const [first] = this.pipelines;
    this.only = this.pipelines.size === 1 ? { id: first[0], pipeline: first[1] } : null;
  }

  /** A target's projected load on a future grid (capacity/demand.ts LoadProjector); null for an unknown target. */
  project(targetId: string, now: number, start: number, stepMs: number, n: number): { values: Array<number | null>; method: string } | null {
    return this.pipelines.get(targetId)?.project(now, start, stepMs, n) ?? null;
  }

  /** Feeds history (cold-start backfill) to a target's forecaster and detector, oldest first. */
  seed(targetId: string, points: Array<{ tMs: number; value: number }>): void {
    this.pipelines.get(targetId)?.seed(points);
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
    this.running = this.tick().finally(() => (this.running = null));
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
    const mono = (this.deps.monoClock ?? clock)();
    const startedMono = performance.now();
    const started = Date.now();
    try {
      // One target (the usual agent, every replay): its work awaited as it is, without a list and Promise.all.
      if (this.only) await this.runWithin(this.only.id, this.only.pipeline, now, mono);
      else await Promise.all([...this.pipelines].map(([id, pipeline]) => this.runWithin(id, pipeline, now, mono)));
    } catch (err) {
      metrics.tickErrors.inc({ stage: 'tick' });
      logger.error({ err }, 'tick failed');
    } finally {
      metrics.tickDuration.observe((performance.now() - startedMono) / 1000);
      metrics.ticks.inc();
      state.info.lastTickMs = now;
      state.info.lastTickDurationMs = Date.now() - started;
      state.info.ticks++;
      state.info.ready = true;
      this.lastFinishedMono = this.monotonic();
      try {
        this.deps.afterTick?.(state);
      } catch (err) {
        logger.error({ err }, 'afterTick hook failed');
      }
    }
  }

  /** Why the loop is not keeping up (no tick finished for 3 periods + the timeout, in real time), or null. */
  stallReason(): string | null {
    if (this.lastFinishedMono === null) return null;
    const { tickSeconds, tickTimeoutSeconds } = this.deps.config.agent;
    const allowedMs = (3 * tickSeconds + tickTimeoutSeconds) * 1000;
    const sinceMs = this.monotonic() - this.lastFinishedMono;
    return sinceMs > allowedMs ? `no tick has finished for ${Math.round(sinceMs / 1000)} s (allowed ${Math.round(allowedMs / 1000)} s)` : null;
  }

  /**
   * One target's pipeline, awaited at most tickTimeoutSeconds. One that overruns finishes in the background
   * and is skipped until it does: the tick stays bounded and no target's work ever overlaps itself.
   */
  private async runWithin(id: string, pipeline: TargetPipeline, now: number, mono: number): Promise<void> {
    const { metrics, logger, config } = this.deps;
    if (this.busy.has(id)) {
      metrics.tickErrors.inc({ stage: 'target-busy' });
      logger.warn({ target: id }, 'previous work for this target is still running; skipping it this tick');
      return;
    }
    const work = pipeline.run(now, mono).catch((err) => {
      metrics.tickErrors.inc({ stage: 'target' });
      logger.error({ err, target: id }, 'target tick failed');
    });
    if ((await this.deadlines.get(id)!.race(work)) === 'timeout') {
      metrics.tickErrors.inc({ stage: 'timeout' });
      logger.error({ target: id, timeoutSeconds: config.agent.tickTimeoutSeconds }, 'target tick timed out');
      this.busy.set(id, work);
      void work.finally(() => this.busy.delete(id));
    }
  }
}
