/**
 * `peer-cluster-lost`: a cluster sharing this one's traffic (fleet.peers) stopped reporting to the global
 * store, or its served load collapsed while its weddings are live. This agent has already raised its
 * floors (peer-failover.ts); the page tells a person that a cluster is gone and who took its load. One
 * page per lost peer and per survivor (the dedup key names both), resolved when the peer is back.
 * While the global store's data is missing the peers keep their last health: no page is opened or
 * resolved on the store's own outage. Pure, like conditions.ts, which calls it.
 */
import type { AgentState } from '../../state';
import { dedupKey, type CriticalCondition } from './conditions';

export function peerLostConditions(state: AgentState, cluster: string): CriticalCondition[] {
  const targets = [...state.targets.values()];
  const raised = targets.filter((t) => t.decision?.protections.includes('peer_failover')).map((t) => t.config.id);
  const live = Math.max(0, ...targets.map((t) => t.view?.calendar.live.length ?? 0));
  return (state.fleet?.peers ?? [])
    .filter((p) => p.health === 'lost')
    .map((p) => ({
      kind: 'peer-cluster-lost' as const,
      dedupKey: dedupKey(cluster, 'peer-cluster-lost', p.cluster),
      severity: live > 0 ? ('critical' as const) : ('error' as const),
      summary: `[${cluster}] peer cluster ${p.cluster} lost (${p.reason}); ${cluster} raised its floors by the peer's share${raised.length ? ` (${raised.join(', ')})` : ''}`,
      targets: raised,
      details: { peer: p.cluster, share: p.share, reason: p.reason, lostSince: p.lostSinceMs === null ? null : new Date(p.lostSinceMs).toISOString(), liveWeddings: live },
    }));
}
