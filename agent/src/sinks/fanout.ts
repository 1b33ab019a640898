/**
 * The fan-out: after each tick, collects the agent's samples once and hands them to every sink that is
 * due. `afterTick` returns immediately — collection and queueing run on later turns of the event loop,
 * and each sink delivers in its own drain loop — so no sink, however dead, delays the control loop or
 * another sink. One collection at a time: a tick that arrives mid-collection is skipped, not stacked.
 */
import type { AgentState } from '../state';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/logger';
import type { SinkEntry } from '../contracts/sink';
import type { FlushResult, Sample, Sink, SinkHealth } from '../contracts/sink';

export interface FanoutOptions {
  entries: SinkEntry[];
  /** Reads the samples to ship (the agent's registry, via collectSamples). */
  collect: (atMs: number) => Promise<Sample[]>;
  /** Agent clock: decides when a sink's interval is due and stamps the samples. */
  clock: Clock;
  logger: Logger;
}

export interface SinkShutdownReport extends FlushResult {
  name: string;
}

export class SinkFanout {
  private readonly nextDueMs = new Map<SinkEntry, number>();
  private collecting: Promise<void> | null = null;
  private stopping: Promise<SinkShutdownReport[]> | null = null;

  constructor(private readonly opts: FanoutOptions) {}

  get size(): number {
    return this.opts.entries.length;
  }

  /** LoopDeps.afterTick. Never throws, never waits. */
  readonly afterTick = (state: AgentState): void => {
    if (this.stopping || this.collecting || this.opts.entries.length === 0) return;
    const atMs = this.opts.clock();
    const due = this.opts.entries.filter((e) => atMs >= (this.nextDueMs.get(e) ?? -Infinity));
    if (!due.length) return;
    for (const e of due) this.nextDueMs.set(e, atMs + e.intervalMs);
    this.collecting = this.deliver(due, state, atMs).finally(() => {
      this.collecting = null;
    });
  };

  /** The promise of the collection in flight, if any (tests and benchmarks await it). */
  whenCollected(): Promise<void> {
    return this.collecting ?? Promise.resolve();
  }

  /** Before the first tick: each sink loads what it kept from an earlier run; a failure is logged, not fatal. */
  async start(): Promise<void> {
    await Promise.all(
      this.opts.entries.map(async (e) => {
        try {
          await e.sink.start?.();
        } catch (err) {
          this.opts.logger.warn({ err: (err as Error).message, sink: e.sink.name }, 'sink could not load its kept state; starting without it');
        }
      }),
    );
  }

  /** A sink by name (tests, the demo's memory sink). */
  find(name: string): Sink | undefined {
    return this.opts.entries.find((e) => e.sink.name === name)?.sink;
  }

  health(): SinkHealth[] {
    return this.opts.entries.map((e) => e.sink.health());
  }

  async forceFlush(deadlineMs: number): Promise<SinkShutdownReport[]> {
    await this.whenCollected();
    return Promise.all(this.opts.entries.map(async (e) => ({ name: e.sink.name, ...(await e.sink.forceFlush(deadlineMs)) })));
  }

  /** Stops feeding, then flushes and closes every sink in parallel, each within `deadlineMs`. Idempotent. */
  shutdown(deadlineMs: number): Promise<SinkShutdownReport[]> {
    this.stopping ??= (async () => {
      await this.whenCollected();
      const reports = await Promise.all(this.opts.entries.map(async (e) => ({ name: e.sink.name, ...(await e.sink.shutdown(deadlineMs)) })));
      const unflushed = reports.filter((r) => !r.ok);
      if (unflushed.length) this.opts.logger.warn({ sinks: unflushed }, 'some sinks could not flush before the deadline');
      return reports;
    })();
    return this.stopping;
  }

  private async deliver(due: SinkEntry[], state: AgentState, atMs: number): Promise<void> {
    let samples: Sample[] = [];
    try {
      samples = await this.opts.collect(atMs);
    } catch (err) {
      this.opts.logger.error({ err }, 'collecting samples for the sinks failed; sending none this tick');
    }
    for (const e of due) {
      try {
        e.sink.export({ atMs, samples, state });
      } catch (err) {
        this.opts.logger.error({ err, sink: e.sink.name }, 'sink export threw (a bug: sinks return failures as values)');
      }
    }
  }
}
