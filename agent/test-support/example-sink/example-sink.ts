/**
 * A sink as small as a sink can be, written the way a new one is (issue 22): this folder holds its
 * config schema and its class, and it imports only the contracts and the core config. Wiring it in is one
 * schema and one builder in app/ (app/example-sink.test.ts does that). It keeps the samples it is given.
 */
import { z } from 'zod';
import { dnsLabel } from '../../src/config/common';
import type { ExportResult, FlushResult, Sample, Sink, SinkHealth, SinkInput } from '../../src/contracts/sink';

export const exampleSinkConfig = z
  .object({ type: z.literal('example'), name: dnsLabel.optional(), prefix: z.string().min(1), maxQueue: z.number().int().positive().default(100) })
  .strict();
export type ExampleSinkConfig = z.infer<typeof exampleSinkConfig>;

export class ExampleSink implements Sink {
  readonly type = 'example';
  readonly received: Sample[] = [];

  constructor(
    readonly name: string,
    private readonly cfg: ExampleSinkConfig,
  ) {}

  export(input: SinkInput): ExportResult {
    const mine = input.samples.filter((s) => s.name.startsWith(this.cfg.prefix));
    const room = this.cfg.maxQueue - this.received.length;
    this.received.push(...mine.slice(0, room));
    return { accepted: Math.min(room, mine.length), dropped: Math.max(0, mine.length - room) };
  }

  forceFlush(): Promise<FlushResult> {
    return Promise.resolve({ ok: true, pending: 0 });
  }

  shutdown(): Promise<FlushResult> {
    return this.forceFlush();
  }

  health(): SinkHealth {
    return { name: this.name, type: this.type, healthy: true, queueLength: 0, dropped: 0, lastError: null };
  }
}
