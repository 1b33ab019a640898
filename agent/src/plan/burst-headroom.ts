/**
 * Burst headroom: capacity for the jump the series itself has shown it makes within one start-up.
 *
 * Pods asked for now are ready one start-up later, so what a policy that sees load only up to now can do
 * about a burst is keep, *now*, room for the rise the next start-up may bring. This rule learns that rise
 * from the series' own recent history: for every past reading it records how far the load rose above it
 * within one start-up (known once a start-up has passed, so nothing here looks ahead), in pods, into a
 * histogram whose weights decay with `burstMemorySeconds`. It then keeps room at full capacity for the
 * load now plus the `burstQuantile` of those rises.
 *
 * Why it spends only where it earns: a calm or smooth series rises little within a start-up, so its
 * quantile is small and the target utilisation's own headroom already covers it (the rule does not bind);
 * a bursty one rises a lot, so the rule keeps room while bursts are recent and lets it go as they age out.
 * The room is measured in absolute pods, not as a multiple of the load: a burst (a news event, a viral
 * post) adds roughly the same demand whatever the level it starts from, and a multiple would spend most
 * at the busiest hours, where the target utilisation's headroom is largest already. Full capacity (not
 * the target utilisation) is the right yardstick: the room is for a rare jump lasting one start-up, after
 * which the reactive rule has the pods to bring utilisation back to target.
 */
import type { PlanPolicy, TargetConfig } from '../config/schema';
import { fmt } from './draft';
import type { RuleAnswer } from './reactive';
import type { BurstState } from './types';

export type { BurstState };

/** Upper edges of the rise histogram, in pods: 0 (no rise), then 1/8 pod × 2^(i/4) up to ~1,000 pods. */
export const BURST_BIN_EDGES: readonly number[] = [0, ...Array.from({ length: 53 }, (_, i) => 0.125 * Math.pow(2, i / 4))];

function binOf(risePods: number): number {
  if (risePods <= 0) return 0;
  for (let i = 1; i < BURST_BIN_EDGES.length; i++) if (risePods <= BURST_BIN_EDGES[i]) return i;
  return BURST_BIN_EDGES.length - 1;
}

/** The q-quantile of the recorded rises (pods), interpolated inside its bin; 0 with no history. */
export function riseQuantile(weights: readonly number[], q: number): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  if (total <= 0) return 0;
  let below = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (below + w >= q * total && w > 0) {
      if (i === 0) return 0;
      const lo = BURST_BIN_EDGES[i - 1];
      return lo + ((q * total - below) / w) * (BURST_BIN_EDGES[i] - lo);
    }
    below += w;
  }
  return BURST_BIN_EDGES[BURST_BIN_EDGES.length - 1];
}

/**
 * Adds this tick's reading, records the rise after every reading that is now a start-up old, and decays
 * the history. Each reading weighs the time it stands for (up to one minute), so the tick period does not
 * change what is learned.
 */
export function learnBursts(
  state: BurstState | null,
  reading: { tMs: number; value: number },
  capacityPerPod: number,
  leadMs: number,
  memoryMs: number,
): BurstState {
  const weights = state ? state.weights.slice() : new Array<number>(BURST_BIN_EDGES.length).fill(0);
  const decay = state ? Math.exp(-Math.max(0, reading.tMs - state.atMs) / memoryMs) : 1;
  for (let i = 0; i < weights.length; i++) weights[i] *= decay;
  const pending: Array<{ tMs: number; value: number }> = [];
  for (const p of state?.pending ?? []) if (p.tMs < reading.tMs) pending.push(p);
  pending.push(reading);
  // The readings a start-up old are settled from the front; `from` is the first one still pending.
  let from = 0;
  while (pending.length - from > 1 && pending[from].tMs <= reading.tMs - leadMs) {
    const first = pending[from];
    const next = pending[from + 1];
    let peak = -Infinity;
    for (let k = from + 1; k < pending.length && pending[k].tMs <= first.tMs + leadMs; k++) peak = Math.max(peak, pending[k].value);
    weights[binOf((peak - first.value) / capacityPerPod)] += Math.min(60_000, next.tMs - first.tMs) / 60_000;
    from++;
  }
  return { pending: pending.slice(Math.max(from, pending.length - 256)), weights, atMs: reading.tMs };
}

/** Room at full capacity for the load now plus the recent high-quantile rise; null when there is no history. */
export function burstHeadroomReplicas(target: TargetConfig, policy: PlanPolicy, state: BurstState, observed: number): RuleAnswer | null {
  const need = burstHeadroomNeed(target, policy, state, observed);
  return need && { replicas: need.replicas, detail: burstHeadroomDetail(policy, need.rise, observed) };
}

/**
 * burstHeadroomReplicas without its explanation: the planner asks every tick and shows the rule only when
 * it binds, so the sentence (burstHeadroomDetail) is written only then.
 */
export function burstHeadroomNeed(target: TargetConfig, policy: PlanPolicy, state: BurstState, observed: number): { replicas: number; rise: number } | null {
  if (policy.burstQuantile <= 0) return null;
  const rise = riseQuantile(state.weights, policy.burstQuantile);
  if (rise <= 0) return null;
  return { replicas: Math.ceil(observed / target.capacityPerPod + rise - 1e-9), rise };
}

export function burstHeadroomDetail(policy: PlanPolicy, rise: number, observed: number): string {
  const memoryH = policy.burstMemorySeconds / 3600;
  return `burst headroom: the load rose up to ${fmt(rise)} pods' worth within one start-up (${Math.round(policy.burstQuantile * 1000) / 10}th percentile, last ~${fmt(memoryH)} h); room for ${fmt(observed)} + that at full capacity`;
}
