/**
 * Prints samples as exposition-style lines (`name{k="v"} value timestamp`) — the dry-run and demo
 * destination, readable by a human and by `grep`.
 */
import type { Writable } from 'node:stream';
import type { Sample, SendOutcome, Transport } from '../contracts/sink';
import { QueuedSink } from './queued-sink';
import { allSamples, queueOptions, type QueueConfig, type SinkDeps } from './sink-deps';
import { z } from 'zod';
import { positiveSeconds } from '../config/common';
import { sinkName, maxQueue, maxBatch } from './sink-config';

/** This sink's config (an entry of `sinks`), composed by sinks/registry.ts. */
export const consoleSinkConfig = z
  .object({ type: z.literal('console'), name: sinkName, intervalSeconds: positiveSeconds.default(60), maxQueue: maxQueue(10000), maxBatch: maxBatch(1000) })
  .strict();
export type ConsoleSinkConfig = z.infer<typeof consoleSinkConfig>;

export function formatSampleLine(s: Sample): string {
  const labels = Object.entries(s.labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
  return `${s.name}${labels ? `{${labels}}` : ''} ${s.value} ${s.atMs}`;
}

export class ConsoleTransport implements Transport<Sample> {
  constructor(private readonly out: Writable = process.stdout) {}

  send(batch: Sample[]): Promise<SendOutcome> {
    const text = batch.map(formatSampleLine).join('\n') + '\n';
    return new Promise((resolve) => {
      this.out.write(text, (err) => resolve(err ? { ok: false, retryable: true, error: err.message } : { ok: true }));
    });
  }
}

export class ConsoleSink extends QueuedSink<Sample> {
  constructor(name: string, cfg: QueueConfig, deps: SinkDeps) {
    super(queueOptions(name, 'console', new ConsoleTransport(deps.stdout), allSamples, cfg, deps));
  }
}
