/** The New Relic sink: the shared queue around NewRelicTransport (Metric API; see its doc comment for why). */
import { QueuedSink } from '../queued-sink';
import type { Sample } from '../../contracts/sink';
import { allSamples, identityLabels, queueOptions, type SinkDeps } from '../sink-deps';
import { NewRelicTransport } from './newrelic-transport';
import { z } from 'zod';
import { positiveSeconds } from '../../config/common';
import { sinkName, maxQueue, maxBatch, requestTimeoutSeconds } from '../sink-config';

/** This sink's config (an entry of `sinks`), composed by sinks/registry.ts. */
export const newRelicSinkConfig = z
  .object({
    type: z.literal('newrelic'),
    name: sinkName,
    licenseKey: z.string().min(1),
    /** https://metric-api.newrelic.com (US) or https://metric-api.eu.newrelic.com (EU). */
    url: z.url().default('https://metric-api.newrelic.com'),
    intervalSeconds: positiveSeconds.default(30),
    maxQueue: maxQueue(10000),
    maxBatch: maxBatch(1000),
    requestTimeoutSeconds,
  })
  .strict();
export type NewRelicSinkConfig = z.infer<typeof newRelicSinkConfig>;

export class NewRelicSink extends QueuedSink<Sample> {
  constructor(name: string, cfg: NewRelicSinkConfig, deps: SinkDeps) {
    const transport = new NewRelicTransport({
      licenseKey: cfg.licenseKey,
      url: cfg.url,
      attributes: () => ({ ...identityLabels(deps), service: 'wedsync-agent' }),
    });
    super(queueOptions(name, 'newrelic', transport, allSamples, cfg, deps));
  }
}
