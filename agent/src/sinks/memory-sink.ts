/**
 * Keeps what it is sent, in memory: the test double, the dry-run destination, and a way to see what
 * a real sink would have shipped. `failNext` scripts outages so the queue can be tested without a server.
 */
import type { Sample, SendOutcome, Transport } from '../contracts/sink';
import { QueuedSink } from './queued-sink';
import { allSamples, queueOptions, type QueueConfig, type SinkDeps } from './sink-deps';
import { z } from 'zod';
import { positiveSeconds } from '../config/common';
import { sinkName, maxQueue, maxBatch } from './sink-config';

/** This sink's config (an entry of `sinks`), composed by sinks/registry.ts. */
export const memorySinkConfig = z
  .object({ type: z.literal('memory'), name: sinkName, intervalSeconds: positiveSeconds.optional(), maxQueue: maxQueue(10000), maxBatch: maxBatch(1000) })
  .strict();
export type MemorySinkConfig = z.infer<typeof memorySinkConfig>;

export class MemoryTransport<T> implements Transport<T> {
  readonly batches: T[][] = [];
  private script: SendOutcome[] = [];

  /** The next sends answer these outcomes, in order, instead of succeeding. */
  failNext(...outcomes: SendOutcome[]): void {
    this.script.push(...outcomes);
  }

  /** Forgets scripted failures: the destination is back. */
  recover(): void {
    this.script = [];
  }

  get items(): T[] {
    return this.batches.flat();
  }

  async send(batch: T[]): Promise<SendOutcome> {
    const scripted = this.script.shift();
    if (scripted && !scripted.ok) return scripted;
    this.batches.push([...batch]);
    return { ok: true };
  }

  clear(): void {
    this.batches.length = 0;
  }
}

/** The in-memory sink: what it "delivered" is in `store.items`. */
export class MemorySink extends QueuedSink<Sample> {
  readonly store: MemoryTransport<Sample>;

  constructor(name: string, cfg: QueueConfig, deps: SinkDeps, store = new MemoryTransport<Sample>()) {
    super(queueOptions(name, 'memory', store, allSamples, cfg, deps));
    this.store = store;
  }
}
