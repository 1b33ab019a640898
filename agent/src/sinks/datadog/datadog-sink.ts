/** The Datadog sink: the shared queue around DatadogTransport. */
import { QueuedSink } from '../queued-sink';
import type { Sample } from '../../contracts/sink';
import { allSamples, identityLabels, queueOptions, type SinkDeps } from '../sink-deps';
import { DatadogTransport } from './datadog-transport';
import { z } from 'zod';
import { positiveSeconds } from '../../config/common';
import { sinkName, maxQueue, maxBatch, requestTimeoutSeconds } from '../sink-config';

/** This sink's config (an entry of `sinks`), composed by sinks/registry.ts. */
export const datadogSinkConfig = z
  .object({
    type: z.literal('datadog'),
    name: sinkName,
    apiKey: z.string().min(1),
    site: z
      .enum(['datadoghq.com', 'us3.datadoghq.com', 'us5.datadoghq.com', 'datadoghq.eu', 'ap1.datadoghq.com', 'ap2.datadoghq.com', 'ddog-gov.com'])
      .default('datadoghq.com'),
    /** Override for tests and proxies; the real URL is derived from `site`. */
    url: z.url().optional(),
    intervalSeconds: positiveSeconds.default(30),
    maxQueue: maxQueue(10000),
    /** Samples per request (Datadog accepts up to 500 kB compressed per payload). */
    maxBatch: maxBatch(1000),
    gzip: z.boolean().default(true),
    requestTimeoutSeconds,
  })
  .strict();
export type DatadogSinkConfig = z.infer<typeof datadogSinkConfig>;

export class DatadogSink extends QueuedSink<Sample> {
  readonly transport: DatadogTransport;

  constructor(name: string, cfg: DatadogSinkConfig, deps: SinkDeps) {
    const transport = new DatadogTransport({
      apiKey: cfg.apiKey,
      site: cfg.site,
      url: cfg.url,
      gzip: cfg.gzip,
      tags: () => [...Object.entries(identityLabels(deps)).map(([k, v]) => `${k}:${v}`), 'service:wedsync-agent'],
    });
    super(queueOptions(name, 'datadog', transport, allSamples, cfg, deps));
    this.transport = transport;
  }
}
