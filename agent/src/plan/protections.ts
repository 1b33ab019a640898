/**
 * Wedding-day protections. Saturday protection: while weddings this target serves are live on a protected
 * weekday (in the wedding's own time zone) there is no scale-down, and deploys should wait (deployFreeze).
 * When such a window ends, capacity comes down gradually (a bounded fraction per minute), not in one cliff.
 */
import type { PlanPolicy } from '../config/schema';
import type { LiveWedding } from '../calendar/rules';
import type { Draft } from './draft';

/**
 * Applies Saturday protection; returns the demand-backed peak of the window while a protecting window is
 * live (else null). With `hold: 'all'` (the default product rule) nothing running is given up. With
 * `hold: 'demand'` it holds everything running when the window opened and every pod the observed load
 * needed since (the reactive rule's answer), but not pods that only a prediction asked for (a forecast
 * peak, an announced step, a surge's extrapolation) and the load never confirmed: bets on the future
 * that cost a whole wedding day of capacity (see BENCHMARKS.md, replay).
 */
export function applySaturdayProtection(
  draft: Draft,
  protecting: readonly LiveWedding[],
  currentReplicas: number,
  demandBacked: number,
  previousPeak: number | null,
  hold: PlanPolicy['saturdayHold'] = 'all',
): number | null {
  if (!protecting.length) return null;
  draft.protect('saturday');
  const peak = Math.max(previousPeak ?? currentReplicas, demandBacked);
  const held = hold === 'all' ? currentReplicas : Math.min(currentReplicas, peak);
  // draft.atLeast, with the sentence written only when the hold binds (asked every tick of a wedding day).
  if (draft.desired < held) {
    const zones = [...new Set(protecting.map((l) => l.day.wedding.timezone))].join(', ');
    draft.set('saturday-protection', held, `${protecting.length} wedding(s) live on a protected day (${zones}): no scale-down, deploy freeze`);
  }
  return peak;
}

/**
 * After a protecting window: replicas may fall at most `postWeddingScaleDownPerMinute` per minute (or one
 * pod a minute, whichever is more), compounded from the count running when the window ended. Measured from that instant, not per tick, so
 * the bound holds whatever the tick period (15 s ticks do not get four "minutes" of steps a minute).
 */
export function applyPostWeddingRampdown(
  draft: Draft,
  policy: PlanPolicy,
  currentReplicas: number,
  lastProtectedMs: number | null,
  replicasAtEnd: number | null,
  nowMs: number,
): void {
  if (lastProtectedMs === null || lastProtectedMs >= nowMs || draft.desired >= currentReplicas) return;
  if (nowMs - lastProtectedMs > policy.postWeddingRampdownSeconds * 1000) return;
  const minutes = (nowMs - lastProtectedMs) / 60_000;
  const from = replicasAtEnd ?? currentReplicas;
  // At least one pod a minute, so that a small deployment is not held for the whole ramp window.
  const lowest = Math.min(currentReplicas, Math.ceil(from * Math.pow(1 - policy.postWeddingScaleDownPerMinute, minutes) - 1e-9), from - Math.floor(minutes));
  if (draft.desired >= lowest) return;
  draft.protect('post_wedding_rampdown');
  draft.set(
    'post-wedding-rampdown',
    lowest,
    `wedding window ended ${minutes.toFixed(1)} min ago: down at most ${Math.round(policy.postWeddingScaleDownPerMinute * 100)}% per minute`,
  );
}
