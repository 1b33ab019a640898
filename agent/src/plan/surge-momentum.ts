/**
 * How much of a surge's rise goes on: learned from this series' own past onsets. The surge rule continues
 * a signalled rise in a straight line for one start-up, which is right for a viral ramp (requests keep
 * arriving faster for minutes) and wrong for a step (a level that jumps once and stays, or a spike that
 * is gone a few minutes later): extrapolating a step buys three or four times its size for nothing. So at
 * every onset the rule's own bet (the slope × one start-up) is remembered, and once a start-up has passed
 * it is compared with what the load really did; the share that came true (0–1), averaged over the last
 * ~MOMENTUM_ONSETS onsets, scales the next extrapolation. With no history the prior is 1 (full
 * extrapolation), so a series whose surges are ramps keeps today's behaviour.
 */

/** How many past onsets the average effectively spans (each new one weighs 1/N of the history). */
export const MOMENTUM_ONSETS = 20;
/** Weight of the prior (1 = trust the straight line), in onsets. */
const PRIOR_WEIGHT = 1;

export interface SurgeMomentum {
  /** Onsets whose outcome is not known yet: the load then and the rise the rule bet on. */
  open: Array<{ tMs: number; value: number; bet: number }>;
  /** Readings of the last start-up (the outcome of an onset is the highest of them). */
  recent: Array<{ tMs: number; value: number }>;
  /** Decayed count of settled onsets and the decayed sum of the share of their bets that came true. */
  weight: number;
  sum: number;
}

/** Share of a rise expected to continue (prior 1, then the decayed average of past onsets). */
export function surgeContinuation(m: SurgeMomentum | null): number {
  if (!m) return 1;
  return (PRIOR_WEIGHT + m.sum) / (PRIOR_WEIGHT + m.weight);
}

/**
 * Adds this tick's reading and, when a surge starts on it, the rise bet on; settles the onsets a start-up
 * old with what the load did since (the highest reading within the start-up, over the load at onset).
 */
export function learnMomentum(m: SurgeMomentum | null, reading: { tMs: number; value: number }, onsetBet: number | null, leadMs: number): SurgeMomentum {
  // Two start-ups of readings, so an onset settled a tick late (a missed reading) still sees its whole start-up.
  const recent = [...(m?.recent ?? []).filter((p) => p.tMs >= reading.tMs - 2 * leadMs && p.tMs < reading.tMs), reading].slice(-512);
  let { weight, sum } = m ?? { weight: 0, sum: 0 };
  const open: SurgeMomentum['open'] = [];
  for (const o of m?.open ?? []) {
    if (o.tMs > reading.tMs - leadMs) {
      open.push(o);
      continue;
    }
    const peak = Math.max(o.value, ...recent.filter((p) => p.tMs > o.tMs && p.tMs <= o.tMs + leadMs).map((p) => p.value));
    const share = Math.min(1, Math.max(0, (peak - o.value) / o.bet));
    weight = weight * (1 - 1 / MOMENTUM_ONSETS) + 1;
    sum = sum * (1 - 1 / MOMENTUM_ONSETS) + share;
  }
  if (onsetBet !== null && onsetBet > 0) open.push({ tMs: reading.tMs, value: reading.value, bet: onsetBet });
  return { open: open.slice(-16), recent, weight, sum };
}

/** The rise the surge rule's straight line bets on over one start-up (before any continuation share). */
export function straightLineBet(recent: ReadonlyArray<{ tMs: number; value: number }>, leadMs: number, maxGrowth: number): number {
  if (recent.length < 2) return 0;
  const first = recent[0];
  const last = recent[recent.length - 1];
  if (last.tMs <= first.tMs) return 0;
  return Math.min(last.value * (maxGrowth - 1), ((last.value - first.value) / (last.tMs - first.tMs)) * leadMs);
}
