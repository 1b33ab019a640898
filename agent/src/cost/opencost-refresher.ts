/**
 * Asks Prometheus for OpenCost's price of each target's replica-hour (opencost-queries.ts), every
 * pricing.opencost.refreshSeconds on its own timer — never inside a tick — and records the answers in the
 * price book. An empty answer (OpenCost absent, or no series for the workload) or a failed request is
 * recorded as such: the book then falls back to the price table, or says unknown. Never 0.
 */
import type { TargetConfig } from '../config/schema';
import { promGet, type PrometheusClientOptions } from '../contracts/prometheus-client';
import type { Logger } from '../util/logger';
import { replicaHourPriceQuery } from './opencost-queries';
import type { OpenCostAnswer, PriceBook } from './price-book';

export class OpenCostRefresher {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      prometheus: PrometheusClientOptions;
      targets: readonly TargetConfig[];
      book: PriceBook;
      refreshSeconds: number;
      clock: () => number;
      logger: Logger;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.refresh(), this.deps.refreshSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One refresh at a time; every target is asked in parallel. */
  refresh(): Promise<void> {
    this.inFlight ??= Promise.all(this.deps.targets.map(async (t) => this.deps.book.recordOpenCost(t.id, await this.ask(t))))
      .then(() => undefined)
      .finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  async ask(target: TargetConfig): Promise<OpenCostAnswer> {
    const atMs = this.deps.clock();
    const body = await promGet(this.deps.prometheus, 'api/v1/query', { query: replicaHourPriceQuery(target.kubernetes), time: (atMs / 1000).toFixed(3) });
    if ('failure' in body) {
      this.deps.logger.warn({ target: target.id, error: body.failure }, 'OpenCost price query failed; using the price table');
      return { ok: false, error: `query failed: ${body.failure}`, atMs };
    }
    const result = body.data?.result;
    const sample =
      Array.isArray(result) && result.length === 1 && typeof result[0] === 'object' ? (result[0] as { value?: [number, string] }).value : undefined;
    const value = sample ? Number(sample[1]) : NaN;
    // NaN (0/0: pods without allocation) and ±Inf are no price; neither is a non-positive one.
    if (!Number.isFinite(value) || value <= 0)
      return {
        ok: false,
        error: Array.isArray(result) && result.length === 0 ? 'no OpenCost series for this workload' : `unusable answer (${sample?.[1] ?? 'none'})`,
        atMs,
      };
    return { ok: true, perReplicaHour: value, atMs };
  }
}
