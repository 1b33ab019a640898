/**
 * Watches the peers through the global store (Thanos Query, Mimir, a central Prometheus): four instant
 * queries every `fleet.intervalSeconds` on a timer of its own, never inside a tick, so a slow store
 * delays nothing. Each round ends in `state.fleet` (peer-assessment.ts decides what it means); the
 * pipelines read that. One round at a time; a round never throws; a timeout is missing data.
 */
import type { FleetConfig } from '../config/fleet-config';
import { assessPeers, initialFleetStatus, type AssessmentConfig, type FleetObservation, type FleetStatus } from './peer-assessment';
import { promGet, type PrometheusClientOptions, type PromResponse } from '../contracts/prometheus-client';
import type { Logger } from '../util/logger';

export interface FleetSourceOptions {
  config: FleetConfig;
  cluster: string;
  /** Where each round's status goes (the agent's state). */
  publish: (status: FleetStatus) => void;
  logger: Logger;
  /** Wall clock: the global store's timestamps are real time even when the agent's clock is simulated. */
  wallClock?: () => number;
  fetch?: typeof fetch;
}

/** The four questions, over this cluster and its peers; `cluster` is the external label every series carries. */
export function fleetQueries(clusters: readonly string[]): Record<'lastSample' | 'served' | 'expected' | 'live', string> {
  const sel = `cluster=~"${clusters.map(escapeRegex).join('|')}"`;
  return {
    lastSample: `max by (cluster) (timestamp(wedsync_agent_info{${sel}}))`,
    served: `sum by (cluster) (wedsync_agent_observed_load{${sel}})`,
    expected: `sum by (cluster) (wedsync_agent_expected_wedding_load{${sel}})`,
    live: `max by (cluster) (wedsync_agent_active_weddings{${sel}})`,
  };
}

export class FleetSource {
  private status: FleetStatus;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly assessment: AssessmentConfig;
  private readonly prom: PrometheusClientOptions;
  private readonly wallClock: () => number;
  private lastError: string | null = null;

  constructor(private readonly opts: FleetSourceOptions) {
    const { config } = opts;
    this.assessment = {
      cluster: opts.cluster,
      share: config.share,
      peers: config.peers,
      staleAfterMs: config.staleAfterSeconds * 1000,
      collapseRatio: config.collapseRatio,
    };
    this.prom = { url: config.query!, timeoutSeconds: config.timeoutSeconds, bearerToken: config.bearerToken, fetch: opts.fetch };
    this.wallClock = opts.wallClock ?? Date.now;
    this.status = initialFleetStatus(this.assessment);
    opts.publish(this.status);
  }

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.opts.config.intervalSeconds * 1000);
    this.timer.unref();
    void this.poll();
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.running ?? Promise.resolve();
  }

  /** One round (skipped while the previous one is still out). */
  poll(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<void> {
    const obs = await this.observe();
    const before = this.status;
    this.status = assessPeers(this.assessment, before, obs);
    this.opts.publish(this.status);
    this.log(before, this.status);
  }

  private async observe(): Promise<FleetObservation> {
    const atMs = this.wallClock();
    const q = fleetQueries([this.opts.cluster, ...this.opts.config.peers.map((p) => p.cluster)]);
    const time = (atMs / 1000).toFixed(3);
    const [lastSample, served, expected, live] = await Promise.all(
      [q.lastSample, q.served, q.expected, q.live].map((query) => promGet(this.prom, 'api/v1/query', { query, time })),
    );
    for (const r of [lastSample, served, expected, live]) if ('failure' in r) return { ok: false, atMs, error: `global store query failed: ${r.failure}` };
    const byCluster = (r: PromResponse, scale = 1) => {
      const out: Record<string, number> = {};
      for (const s of (r.data?.result ?? []) as Array<{ metric?: Record<string, string>; value?: [number, string] }>) {
        const v = Number(s.value?.[1]);
        if (s.metric?.cluster && Number.isFinite(v)) out[s.metric.cluster] = v * scale;
      }
      return out;
    };
    return {
      ok: true,
      atMs,
      lastSampleMs: byCluster(lastSample as PromResponse, 1000),
      servedLoad: byCluster(served as PromResponse),
      expectedWeddingLoad: byCluster(expected as PromResponse),
      liveWeddings: byCluster(live as PromResponse),
    };
  }

  /** Logs changes only: a peer lost or back, the store failing or answering again. */
  private log(before: FleetStatus, after: FleetStatus): void {
    const { logger } = this.opts;
    if (!after.dataOk && after.error !== this.lastError)
      logger.warn({ error: after.error }, 'fleet: global store data missing; holding (no raise, no release, no scale-down)');
    if (after.dataOk && this.lastError !== null) logger.info('fleet: global store answering');
    this.lastError = after.dataOk ? null : after.error;
    for (const p of after.peers) {
      const was = before.peers.find((b) => b.cluster === p.cluster)?.health;
      if (p.health === 'lost' && was !== 'lost') logger.error({ peer: p.cluster, reason: p.reason }, `fleet: peer cluster ${p.cluster} lost`);
      if (p.health === 'up' && was === 'lost') logger.warn({ peer: p.cluster }, `fleet: peer cluster ${p.cluster} back`);
    }
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');
}
