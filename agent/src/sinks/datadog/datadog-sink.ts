/** The Datadog sink: the shared queue around DatadogTransport. */
import type { SinkConfig } from '../../config/schema';
import { QueuedSink } from '../queued-sink';
import type { Sample } from '../sink';
import { allSamples, queueOptions, type SinkDeps } from '../sink-deps';
import { DatadogTransport } from './datadog-transport';

export type DatadogSinkConfig = Extract<SinkConfig, { type: 'datadog' }>;

export class DatadogSink extends QueuedSink<Sample> {
  readonly transport: DatadogTransport;

  constructor(name: string, cfg: DatadogSinkConfig, deps: SinkDeps) {
    const transport = new DatadogTransport({ apiKey: cfg.apiKey, site: cfg.site, url: cfg.url, gzip: cfg.gzip, tags: [`cluster:${deps.cluster}`, 'service:wedsync-agent'] });
    super(queueOptions(name, 'datadog', transport, allSamples, cfg, deps));
    this.transport = transport;
  }
}
