/**
 * Peer failover: when a cluster that shares traffic with this one is lost, its traffic lands here (and on
 * the other survivors) before anyone redeploys anything. Pre-scale for it: the floor becomes what the load
 * seen just before the loss needs once it grows by the lost peers' share of the shared traffic, split
 * among the survivors by their shares:
 *
 *     floor = replicasFor(baseLoad × (1 + Σ lost shares ÷ (own share + Σ surviving peers' shares)))
 *
 * capped by maxReplicas (applied later, by the bounds). Two equal clusters: one lost doubles the other's
 * floor; three: the two survivors take half again each. The base load is kept from the onset, so the
 * traffic that does arrive is not counted twice.
 *
 * When the peers return, the extra is released linearly over `releaseSeconds`. When the global store
 * cannot be trusted (`dataOk` false) nothing moves: no raise, no release, and no scale-down at all.
 * Pure: no I/O, no clock.
 */
import type { TargetConfig } from '../config/schema';
import { fmt, replicasForTarget, type Draft } from './draft';
import type { FleetInput, PeerFailoverMemory } from './types';

export type { FleetInput, PeerFailoverMemory };

export interface PeerFailoverOutcome {
  /** A floor to apply, or null. */
  floor: number | null;
  /** Fleet data missing: no scale-down at all this tick. */
  hold: boolean;
  detail: string;
  memory: PeerFailoverMemory | null;
}

const NONE: PeerFailoverOutcome = { floor: null, hold: false, detail: '', memory: null };
const names = (xs: readonly string[]) => xs.join(', ');

export function peerFailover(
  target: TargetConfig,
  fleet: FleetInput | undefined,
  observed: number | null,
  currentReplicas: number,
  memory: PeerFailoverMemory | null,
  nowMs: number,
): PeerFailoverOutcome {
  if (!fleet || fleet.peers.length === 0) return NONE;
  if (!fleet.dataOk) {
    const why = `fleet data missing (${fleet.error ?? 'global store unreachable'})`;
    if (!memory) return { floor: null, hold: true, detail: `${why}: holding, no scale-down`, memory: null };
    const what = memory.releaseStartMs === null ? `peer cluster ${names(memory.lost)} lost` : `releasing the floor for peer cluster ${names(memory.lost)}`;
    return { floor: memory.floor, hold: true, detail: `${what}; ${why}: holding floor ${memory.floor}, no release, no scale-down`, memory };
  }
  const lost = fleet.peers.filter((p) => p.lost);
  if (lost.length > 0) {
    const baseLoad = memory?.baseLoad ?? observed ?? currentReplicas * target.capacityPerPod * target.targetUtilization;
    const lostShare = lost.reduce((s, p) => s + p.share, 0);
    const survivingShare = fleet.selfShare + fleet.peers.filter((p) => !p.lost).reduce((s, p) => s + p.share, 0);
    const factor = 1 + lostShare / survivingShare;
    const floor = replicasForTarget(baseLoad * factor, target);
    const capped = floor > target.maxReplicas ? ` (capped by maxReplicas ${target.maxReplicas})` : '';
    const detail = `peer cluster ${names(lost.map((p) => p.cluster))} lost: taking ${Math.round((factor - 1) * 100)} % more of the shared load (lost share ${fmt(lostShare)} over surviving ${fmt(survivingShare)}): floor ${floor} for load ${fmt(baseLoad)} × ${factor.toFixed(2)}${capped}`;
    const applied = Math.min(floor, target.maxReplicas);
    return {
      floor: applied,
      hold: false,
      detail,
      memory: { baseLoad, lost: lost.map((p) => p.cluster), floor: applied, releaseStartMs: null, releaseFrom: null },
    };
  }
  if (!memory) return NONE;
  // Every peer is back: release the extra gradually (its traffic moves back over minutes, not at once).
  const startMs = memory.releaseStartMs ?? nowMs;
  const from = memory.releaseFrom ?? memory.floor;
  const releaseMs = fleet.releaseSeconds * 1000;
  const left = releaseMs - (nowMs - startMs);
  if (left <= 0) return NONE;
  const base = replicasForTarget(memory.baseLoad, target);
  const floor = Math.max(base, Math.ceil(base + (from - base) * (left / releaseMs) - 1e-9));
  const detail = `peer cluster ${names(memory.lost)} back: releasing the failover floor gradually (${floor}, ${Math.round(left / 1000)} s left)`;
  return { floor, hold: false, detail, memory: { ...memory, floor, releaseStartMs: startMs, releaseFrom: from } };
}

/** Applies the outcome: the floor (recorded when it binds), and the no-scale-down hold on missing fleet data. */
export function applyPeerFailover(draft: Draft, outcome: PeerFailoverOutcome, currentReplicas: number): void {
  if (outcome.floor !== null) {
    draft.protect('peer_failover');
    if (draft.desired < outcome.floor) draft.set('peer-failover', outcome.floor, outcome.detail);
    else draft.note('peer-failover', outcome.floor, outcome.detail);
  }
  if (outcome.hold) {
    draft.protect('fleet_data_missing');
    draft.atLeast('fleet-hold', currentReplicas, outcome.detail);
  }
}
