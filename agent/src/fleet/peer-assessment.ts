/**
 * Which peers are lost, as a pure function of (what the global store answered, what we concluded last
 * time). No I/O, no clock: the fleet source passes the wall-clock instant of the query in.
 *
 * A peer is lost when
 *   - its `wedsync_agent_info` has no sample in the global store for longer than `staleAfterMs` (agent,
 *     cluster Prometheus or the whole cluster gone: all look the same from outside), or
 *   - its weddings are live and it serves less than `collapseRatio` of the load they are expected to bring
 *     (the cluster is up, its ingress or upstream is not).
 *
 * The global store's own outage is never read as a lost peer: a failed or timed-out query, or an answer
 * with no fresh series from this very cluster (its ingestion is behind), is missing data. The peers keep
 * the health they had and `dataOk` is false, which the planner reads as "hold".
 */
import type { PeerHealth, PeerStatus, FleetStatus } from '../contracts/fleet-status';

export type { PeerHealth, PeerStatus, FleetStatus };

/** One round of the fleet source's queries, per cluster label value. */
export type FleetObservation =
  | {
      ok: true;
      atMs: number;
      /** Newest wedsync_agent_info sample timestamp (ms) per cluster. */
      lastSampleMs: Record<string, number>;
      /** Σ wedsync_agent_observed_load per cluster. */
      servedLoad: Record<string, number>;
      /** Σ wedsync_agent_expected_wedding_load per cluster. */
      expectedWeddingLoad: Record<string, number>;
      /** max wedsync_agent_active_weddings per cluster. */
      liveWeddings: Record<string, number>;
    }
  | { ok: false; atMs: number; error: string };

export interface AssessmentConfig {
  cluster: string;
  share: number;
  peers: ReadonlyArray<{ cluster: string; share: number }>;
  staleAfterMs: number;
  collapseRatio: number;
}

export function initialFleetStatus(cfg: AssessmentConfig): FleetStatus {
  return {
    cluster: cfg.cluster,
    share: cfg.share,
    dataOk: false,
    error: 'not queried yet',
    checkedAtMs: null,
    watchingSinceMs: null,
    peers: cfg.peers.map((p) => ({ cluster: p.cluster, share: p.share, health: 'unknown', lastSeenMs: null, lostSinceMs: null, reason: 'not queried yet' })),
  };
}

export function assessPeers(cfg: AssessmentConfig, previous: FleetStatus, obs: FleetObservation): FleetStatus {
  if (!obs.ok) return { ...previous, dataOk: false, error: obs.error };
  const self = obs.lastSampleMs[cfg.cluster];
  if (self === undefined || obs.atMs - self > cfg.staleAfterMs) {
    const age = self === undefined ? 'none' : `${Math.round((obs.atMs - self) / 1000)} s old`;
    return {
      ...previous,
      dataOk: false,
      error: `the global store has no fresh wedsync_agent_info{cluster="${cfg.cluster}"} (this cluster's own; newest: ${age}): its ingestion is behind or down`,
    };
  }
  const watchingSinceMs = previous.watchingSinceMs ?? obs.atMs;
  const peers = previous.peers.map((p): PeerStatus => {
    const sample = obs.lastSampleMs[p.cluster];
    const lastSeenMs = sample === undefined ? p.lastSeenMs : Math.max(sample, p.lastSeenMs ?? sample);
    const silentMs = obs.atMs - (lastSeenMs ?? watchingSinceMs);
    let lost: string | null = null;
    if (silentMs > cfg.staleAfterMs)
      lost =
        lastSeenMs === null
          ? `no wedsync_agent_info{cluster="${p.cluster}"} in the global store for ${Math.round(silentMs / 1000)} s`
          : `its last wedsync_agent_info sample is ${Math.round(silentMs / 1000)} s old`;
    else {
      const live = obs.liveWeddings[p.cluster] ?? 0;
      const expected = obs.expectedWeddingLoad[p.cluster] ?? 0;
      const served = obs.servedLoad[p.cluster];
      if (live > 0 && expected > 0 && served !== undefined && served < cfg.collapseRatio * expected)
        lost = `it serves ${round(served)} while its ${live} live wedding(s) should bring ${round(expected)} (below ${Math.round(cfg.collapseRatio * 100)} %)`;
    }
    if (lost === null) return { ...p, health: 'up', lastSeenMs, lostSinceMs: null, reason: 'reporting' };
    return { ...p, health: 'lost', lastSeenMs, lostSinceMs: p.health === 'lost' ? p.lostSinceMs : obs.atMs, reason: lost };
  });
  return { ...previous, dataOk: true, error: null, checkedAtMs: obs.atMs, watchingSinceMs, peers };
}

const round = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));
