/** The New Relic sink: the shared queue around NewRelicTransport (Metric API; see its doc comment for why). */
import type { SinkConfig } from '../../config/schema';
import { QueuedSink } from '../queued-sink';
import type { Sample } from '../sink';
import { allSamples, queueOptions, type SinkDeps } from '../sink-deps';
import { NewRelicTransport } from './newrelic-transport';

export type NewRelicSinkConfig = Extract<SinkConfig, { type: 'newrelic' }>;

export class NewRelicSink extends QueuedSink<Sample> {
  constructor(name: string, cfg: NewRelicSinkConfig, deps: SinkDeps) {
    const transport = new NewRelicTransport({ licenseKey: cfg.licenseKey, url: cfg.url, attributes: { cluster: deps.cluster, service: 'wedsync-agent' } });
    super(queueOptions(name, 'newrelic', transport, allSamples, cfg, deps));
  }
}
