/**
 * New Relic delivery through the Metric API (`POST {url}/metric/v1`, key in the `Api-Key` header,
 * gzip JSON body, 202 on success) with Node's built-in fetch.
 *
 * Why not the `newrelic` APM package — measured on this machine (Node 20, newrelic 13.20.0, the last line
 * that runs on Node 20; 14.x needs Node ≥ 22) in a scratch directory outside the repo, with
 * `bash agent/bench/sinks-newrelic-weight.sh` (two sessions, 3 runs each, on a busy shared machine):
 *   - install: 115 MB, 120 packages, ~10 s; the Metric API needs nothing (fetch is built in);
 *   - start-up: `require('newrelic')` 0.1–0.37 s / +19 MB RSS disabled, 0.18–0.6 s / +32 MB RSS enabled,
 *     and it writes `newrelic_agent.log` into the working directory; the Metric API costs nothing at start;
 *   - what it ships: APM custom metrics (`recordMetric`) are unlabelled, aggregated per 60 s harvest and
 *     sent over New Relic's private collector protocol, HTTPS only — untestable here without faking that
 *     protocol; the Metric API is dimensional (our labels become attributes), documented and plain HTTP,
 *     so the real request is tested against a local capture server.
 * The agent is not a web app needing APM tracing, so the Metric API wins on every count.
 */
import type { Sample, SendOutcome, Transport } from '../../contracts/sink';
import { postJson } from '../json-post';
import { toNewRelicPayload } from './newrelic-payload';

export interface NewRelicTransportOptions {
  /** License (ingest) key; sent only in the Api-Key header. */
  licenseKey: string;
  /** https://metric-api.newrelic.com, https://metric-api.eu.newrelic.com, or a stand-in. */
  url: string;
  /** Common attributes (cluster, provider, region, service), read at each send. */
  attributes: () => Record<string, string>;
}

export class NewRelicTransport implements Transport<Sample> {
  readonly endpoint: string;

  constructor(private readonly opts: NewRelicTransportOptions) {
    this.endpoint = `${opts.url.replace(/\/+$/, '')}/metric/v1`;
  }

  send(batch: Sample[], signal: AbortSignal): Promise<SendOutcome> {
    return postJson({
      url: this.endpoint,
      headers: { 'Api-Key': this.opts.licenseKey },
      payload: toNewRelicPayload(batch, this.opts.attributes()),
      gzip: true,
      signal,
    });
  }
}
