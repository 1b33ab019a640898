/**
 * The one queue every sink shares: bounded, retrying, never blocking its caller.
 *
 * `export` appends and returns; a single drain loop per sink sends batches one at a time. A retryable
 * failure puts the batch back at the front and waits (capped full-jitter backoff, or longer if the server
 * sent Retry-After); a non-retryable one (4xx other than 408/429) drops the batch, counted, because
 * sending the same bad request again cannot succeed. Past `maxQueue` the oldest waiting items go, counted —
 * the batch in flight is held until its fate is known, so it is never both dropped and delivered.
 */
import type { Logger } from '../util/logger';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './retry';
import type { ExportResult, FlushResult, SendOutcome, Sink, SinkHealth, SinkInput, Transport } from '../contracts/sink';
import { failureReason, type SinkMetrics } from './sink-metrics';
import { realTimers, type SinkTimers } from './timers';

export interface QueuedSinkOptions<T> {
  name: string;
  type: string;
  transport: Transport<T>;
  /**
   * What this sink takes from a tick (samples as they are, …), for `export`. A sink that decides its
   * items itself (PagerDuty) leaves it out and hands them to `enqueue`.
   */
  toItems?: (input: SinkInput) => readonly T[];
  maxQueue: number;
  maxBatch: number;
  requestTimeoutMs: number;
  metrics: SinkMetrics;
  logger: Logger;
  backoff?: BackoffPolicy;
  timers?: SinkTimers;
  random?: () => number;
}

type Phase = 'idle' | 'sending' | 'backoff';

/** Real time an aborted request gets to unwind at shutdown (aborts settle within a few event-loop turns). */
const ABORT_GRACE_MS = 1000;

export class QueuedSink<T> implements Sink {
  readonly name: string;
  readonly type: string;
  private queue: T[] = [];
  private inflight: T[] = [];
  private draining: Promise<void> | null = null;
  private phase: Phase = 'idle';
  private settledListeners: Array<() => void> = [];
  private retryAtMs = 0;
  private attempt = 0;
  private wake: (() => void) | null = null;
  private closed = false;
  private readonly abort = new AbortController();
  private shutdownResult: Promise<FlushResult> | null = null;
  private droppedTotal = 0;
  private lastError: string | null = null;
  private failing = false;
  private readonly timers: SinkTimers;
  private readonly backoff: BackoffPolicy;
  private readonly labels: { sink: string; type: string };

  constructor(private readonly opts: QueuedSinkOptions<T>) {
    if (!Number.isInteger(opts.maxQueue) || opts.maxQueue < 1) throw new Error(`sink ${opts.name}: maxQueue must be an integer ≥ 1 (got ${opts.maxQueue})`);
    if (!Number.isInteger(opts.maxBatch) || opts.maxBatch < 1 || opts.maxBatch > opts.maxQueue)
      throw new Error(`sink ${opts.name}: maxBatch must be an integer between 1 and maxQueue (${opts.maxQueue}), got ${opts.maxBatch}`);
    this.name = opts.name;
    this.type = opts.type;
    this.timers = opts.timers ?? realTimers;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.labels = { sink: opts.name, type: opts.type };
    opts.metrics.up.set(this.labels, 1);
    opts.metrics.queueLength.set(this.labels, 0);
  }

  export(input: SinkInput): ExportResult {
    if (this.closed) return { accepted: 0, dropped: 0 };
    let items: readonly T[];
    try {
      items = this.opts.toItems?.(input) ?? [];
    } catch (err) {
      this.opts.logger.error({ err, sink: this.name }, 'sink could not prepare its items; skipping this tick');
      return { accepted: 0, dropped: 0 };
    }
    return this.enqueue(items);
  }

  /** Queues items and returns; the drain loop sends them. */
  enqueue(items: readonly T[]): ExportResult {
    if (this.closed) return { accepted: 0, dropped: 0 };
    for (const item of items) this.queue.push(item);
    const dropped = this.trimToBound();
    this.updateQueueGauge();
    this.kick();
    return { accepted: items.length, dropped };
  }

  async forceFlush(deadlineMs: number): Promise<FlushResult> {
    const deadline = this.timers.now() + deadlineMs;
    this.retryAtMs = 0;
    this.wake?.();
    this.kick();
    while (this.pending() > 0) {
      const left = deadline - this.timers.now();
      const draining = this.draining;
      if (left <= 0 || !draining) break;
      const timedOut = await Promise.race([draining.then(() => false), this.timers.sleep(left).then(() => true)]);
      if (timedOut) break;
    }
    return { ok: this.pending() === 0, pending: this.pending() };
  }

  shutdown(deadlineMs: number): Promise<FlushResult> {
    this.shutdownResult ??= (async () => {
      this.closed = true;
      const result = await this.forceFlush(deadlineMs);
      // Past the deadline: cancel the request in flight (counted when it returns) and give up the rest.
      this.abort.abort();
      this.wake?.();
      // The aborted request settles on a later turn (its batch is then counted as dropped); give it a moment.
      const draining = this.draining;
      if (draining) await Promise.race([draining, new Promise((resolve) => setTimeout(resolve, ABORT_GRACE_MS).unref())]);
      this.drop(this.queue.length, 'shutdown');
      this.queue = [];
      this.updateQueueGauge();
      if (!result.ok) this.opts.logger.warn({ sink: this.name, pending: result.pending }, 'sink shut down with samples still queued; dropped them');
      return result;
    })();
    return this.shutdownResult;
  }

  health(): SinkHealth {
    return { name: this.name, type: this.type, healthy: !this.failing, queueLength: this.pending(), dropped: this.droppedTotal, lastError: this.lastError };
  }

  /** Resolves once no request is in flight (idle, or waiting out a backoff). For tests and benchmarks. */
  settled(): Promise<void> {
    if (this.phase !== 'sending') return Promise.resolve();
    return new Promise((resolve) => this.settledListeners.push(resolve));
  }

  private pending(): number {
    return this.queue.length + this.inflight.length;
  }

  private kick(): void {
    if (this.draining || this.queue.length === 0 || this.abort.signal.aborted) return;
    this.setPhase('sending');
    this.draining = this.drain().finally(() => {
      this.draining = null;
      this.setPhase('idle');
    });
  }

  private async drain(): Promise<void> {
    // Start on a later turn: export() only queues, so serialising a batch never runs on the caller's time.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      const waitMs = this.retryAtMs - this.timers.now();
      if (waitMs > 0) {
        this.setPhase('backoff');
        await Promise.race([this.timers.sleep(waitMs), new Promise<void>((resolve) => (this.wake = resolve))]);
        this.wake = null;
        continue;
      }
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inflight = batch;
      this.setPhase('sending');
      const outcome = await this.sendOnce(batch);
      this.inflight = [];
      this.settle(batch, outcome);
    }
  }

  private async sendOnce(batch: T[]): Promise<SendOutcome> {
    const startedAt = performance.now();
    let outcome: SendOutcome;
    try {
      outcome = await this.opts.transport.send(batch, AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.opts.requestTimeoutMs)]));
    } catch (err) {
      outcome = { ok: false, retryable: true, error: err instanceof Error ? err.message : String(err) };
    }
    // A batch the transport left out entirely made no request: there is no duration to record.
    if (!(outcome.ok && outcome.sent === 0))
      this.opts.metrics.exportDuration.observe({ ...this.labels, outcome: outcome.ok ? 'success' : 'failure' }, (performance.now() - startedAt) / 1000);
    return outcome;
  }

  private settle(batch: T[], outcome: SendOutcome): void {
    const { metrics, logger } = this.opts;
    if (outcome.ok && outcome.sent === 0) {
      // Nothing went out, so nothing is learned about the server: health and backoff stay as they were.
    } else if (outcome.ok) {
      metrics.exported.inc(this.labels, outcome.sent ?? batch.length);
      this.attempt = 0;
      this.retryAtMs = 0;
      this.failing = false;
      this.lastError = null;
      metrics.up.set(this.labels, 1);
    } else {
      metrics.failed.inc({ ...this.labels, reason: failureReason(outcome.status) });
      this.failing = true;
      this.lastError = outcome.error;
      metrics.up.set(this.labels, 0);
      if (this.abort.signal.aborted) {
        this.drop(batch.length, 'shutdown');
      } else if (outcome.retryable) {
        this.queue.unshift(...batch);
        this.trimToBound();
        this.attempt++;
        const delay = retryDelayMs(this.attempt, this.backoff, this.opts.random, outcome.retryAfterMs);
        this.retryAtMs = this.timers.now() + delay;
        logger.warn(
          { sink: this.name, error: outcome.error, attempt: this.attempt, retryInMs: delay, queued: this.pending() },
          'sink delivery failed; will retry',
        );
      } else {
        this.drop(batch.length, 'rejected');
        logger.error({ sink: this.name, error: outcome.error, dropped: batch.length }, 'sink delivery rejected; dropped the batch (retrying cannot help)');
      }
    }
    this.updateQueueGauge();
  }

  /** Drops the oldest waiting items beyond the bound (the batch in flight counts towards it). */
  private trimToBound(): number {
    const over = this.pending() - this.opts.maxQueue;
    if (over <= 0) return 0;
    this.queue.splice(0, over);
    this.drop(over, 'overflow');
    return over;
  }

  private drop(n: number, reason: 'overflow' | 'rejected' | 'shutdown'): void {
    if (n <= 0) return;
    this.droppedTotal += n;
    this.opts.metrics.dropped.inc({ ...this.labels, reason }, n);
  }

  private updateQueueGauge(): void {
    this.opts.metrics.queueLength.set(this.labels, this.pending());
  }

  private setPhase(phase: Phase): void {
    this.phase = phase;
    if (phase === 'sending') return;
    const listeners = this.settledListeners;
    this.settledListeners = [];
    for (const l of listeners) l();
  }
}
