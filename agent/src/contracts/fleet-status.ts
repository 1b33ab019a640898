/** The fleet as the fleet source last saw it (fleet/), kept in the state: types only. */
export type PeerHealth = 'unknown' | 'up' | 'lost';

export interface PeerStatus {
  cluster: string;
  share: number;
  health: PeerHealth;
  /** Wall-clock ms of the newest wedsync_agent_info sample seen for it. */
  lastSeenMs: number | null;
  /** When it was first judged lost (wall clock); null while not lost. */
  lostSinceMs: number | null;
  /** Why it is lost, or what was seen; shown in reasons, pages and /metrics help. */
  reason: string;
}

export interface FleetStatus {
  cluster: string;
  share: number;
  /** False while the global store cannot be trusted: the query failed, timed out, or lacks this cluster. */
  dataOk: boolean;
  error: string | null;
  /** Wall-clock ms of the last answer that could be trusted. */
  checkedAtMs: number | null;
  /** When watching began (wall clock): a peer never seen is lost once it has been absent this long. */
  watchingSinceMs: number | null;
  peers: PeerStatus[];
}
