/** What the planner sees of the fleet this tick: the last fleet status, reduced to shares and lost flags. */
import type { FleetConfig } from '../config/fleet-config';
import type { FleetStatus } from './peer-assessment';
import type { FleetInput } from '../plan/peer-failover';

export function fleetInput(config: FleetConfig, status: FleetStatus | null): FleetInput | undefined {
  if (config.peers.length === 0) return undefined;
  if (!status)
    return {
      dataOk: false,
      error: 'no fleet status yet',
      selfShare: config.share,
      peers: config.peers.map((p) => ({ ...p, lost: false })),
      releaseSeconds: config.releaseSeconds,
    };
  return {
    dataOk: status.dataOk,
    error: status.error,
    selfShare: status.share,
    peers: status.peers.map((p) => ({ cluster: p.cluster, share: p.share, lost: p.health === 'lost' })),
    releaseSeconds: config.releaseSeconds,
  };
}
