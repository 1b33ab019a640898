/**
 * Datadog delivery through the v2 series intake (`POST {base}/api/v2/series`, key in the `DD-API-KEY`
 * header, gzip JSON body, 202 on success) with Node's built-in fetch.
 *
 * Why not the official `@datadog/datadog-api-client` (which this sink used first) — measured on this
 * machine (Node 20, client 1.64.0):
 *   - memory: requiring it costs +125 MB RSS (+60 MB heap), and its v2 MetricsApi alone +93 MB, because
 *     it loads every model of the API. With it, an agent with 20 targets and every sink ran at a ~300 MB
 *     RSS median (bench:footprint), against a 160 MB budget; without it, see BENCHMARKS.md;
 *   - time: 2–10 s to require; per 1,000 series its serializer + pure-JavaScript gzip took ~17 ms
 *     against ~2.4 ms for JSON.stringify + zlib (bench:sinks);
 *   - what it adds for one endpoint: nothing the queue does not already do (its retry was off, its
 *     exceptions dropped Retry-After and answered any status outside its spec "Unknown API Status Code!").
 * The request is one documented JSON POST (datadog-series.ts builds the body), tested against a local
 * capture server, as the New Relic Metric API is.
 */
import type { Sample, SendOutcome, Transport } from '../../contracts/sink';
import { postJson } from '../json-post';
import { datadogErrorText } from './datadog-errors';
import { toDatadogSeries } from './datadog-series';

export interface DatadogTransportOptions {
  apiKey: string;
  /** Datadog site, e.g. datadoghq.com or datadoghq.eu; the intake is https://api.<site>. */
  site: string;
  /** Full base URL instead of the site (proxies, tests). */
  url?: string;
  /** Tags on every series (cluster, provider, region, service), read at each send. */
  tags: () => string[];
  gzip: boolean;
}

export class DatadogTransport implements Transport<Sample> {
  constructor(private readonly opts: DatadogTransportOptions) {}

  get baseUrl(): string {
    return (this.opts.url ?? `https://api.${this.opts.site}`).replace(/\/+$/, '');
  }

  send(batch: Sample[], signal: AbortSignal): Promise<SendOutcome> {
    return postJson({
      url: `${this.baseUrl}/api/v2/series`,
      headers: { 'DD-API-KEY': this.opts.apiKey, Accept: 'application/json' },
      payload: { series: toDatadogSeries(batch, this.opts.tags()) },
      gzip: this.opts.gzip,
      signal,
      describe: datadogErrorText,
    });
  }
}
