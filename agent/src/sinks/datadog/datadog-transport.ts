/**
 * Datadog delivery with the official client (`@datadog/datadog-api-client`, v2 `submitMetrics`,
 * `POST /api/v2/series`, key in the `DD-API-KEY` header, gzip body).
 *
 * The client is heavy (~130 MB, 2–4 s to load), so it is required lazily on the first send: an agent
 * without a Datadog sink never pays for it. Its own retry is left off (the queue retries, with jitter
 * and drops counted), and its `ApiException` carries no headers, so a thin `fetch` wrapper keeps the
 * last response's Retry-After and passes the queue's abort signal (timeout, shutdown) to each request.
 */
import type { Sample, SendOutcome, Transport } from '../sink';
import { httpFailure } from '../retry';
import { datadogErrorText } from './datadog-errors';
import { toDatadogSeries } from './datadog-series';

type DatadogModule = typeof import('@datadog/datadog-api-client');
type MetricsApi = InstanceType<DatadogModule['v2']['MetricsApi']>;

export interface DatadogTransportOptions {
  apiKey: string;
  /** Datadog site, e.g. datadoghq.com or datadoghq.eu; the intake is https://api.<site>. */
  site: string;
  /** Full base URL instead of the site (proxies, tests). */
  url?: string;
  tags: string[];
  gzip: boolean;
}

export class DatadogTransport implements Transport<Sample> {
  private dd: DatadogModule | null = null;
  private api: MetricsApi | null = null;
  private signal: AbortSignal | undefined;
  private lastRetryAfter: string | null = null;

  constructor(private readonly opts: DatadogTransportOptions) {}

  get baseUrl(): string {
    return (this.opts.url ?? `https://api.${this.opts.site}`).replace(/\/+$/, '');
  }

  async send(batch: Sample[], signal: AbortSignal): Promise<SendOutcome> {
    const { api, dd } = this.load();
    this.signal = signal;
    this.lastRetryAfter = null;
    try {
      await api.submitMetrics({ body: { series: toDatadogSeries(batch, this.opts.tags) }, ...(this.opts.gzip ? { contentEncoding: 'gzip' as const } : {}) });
      return { ok: true };
    } catch (err) {
      if (err instanceof dd.client.ApiException) return httpFailure(err.code, this.lastRetryAfter, Date.now(), datadogErrorText(err.code, err.body));
      return { ok: false, retryable: true, error: err instanceof Error ? err.message : String(err) };
    } finally {
      this.signal = undefined;
    }
  }

  private load(): { api: MetricsApi; dd: DatadogModule } {
    if (this.api && this.dd) return { api: this.api, dd: this.dd };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load of a heavy package
    const dd = require('@datadog/datadog-api-client') as DatadogModule;
    // Its console logger would duplicate our (redacting) pino logs for every failed request.
    dd.logger.setLevel('silent');
    const configuration = dd.client.createConfiguration({
      authMethods: { apiKeyAuth: this.opts.apiKey },
      baseServer: new dd.client.BaseServerConfiguration(this.baseUrl, {}),
      enableRetry: false,
      fetch: (url: string, init: RequestInit) =>
        fetch(url, { ...init, signal: this.signal }).then((res) => {
          this.lastRetryAfter = res.headers.get('retry-after');
          return res;
        }),
    });
    this.dd = dd;
    this.api = new dd.v2.MetricsApi(configuration);
    return { api: this.api, dd };
  }
}
