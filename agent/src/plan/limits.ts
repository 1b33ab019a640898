/**
 * Stabilisation and limits. A scale-down takes the highest recommendation of the stabilisation window
 * (as the HPA does), so one quiet minute does not shed pods that the next minute needs; each tick moves
 * at most a bounded step; the result stays within [minReplicas, maxReplicas].
 */
import type { PlanPolicy, TargetConfig } from '../config/schema';
import type { Draft } from './draft';

export interface Recommendation {
  tMs: number;
  replicas: number;
}

export function windowRecommendations(previous: readonly Recommendation[], nowMs: number, recommendation: number, windowSeconds: number): Recommendation[] {
  const start = nowMs - windowSeconds * 1000;
  const kept: Recommendation[] = [];
  for (const r of previous) if (r.tMs > start && r.tMs < nowMs) kept.push(r);
  kept.push({ tMs: nowMs, replicas: recommendation });
  return kept;
}

export function applyStabilisation(draft: Draft, recommendations: readonly Recommendation[], currentReplicas: number, windowSeconds: number): void {
  if (draft.desired >= currentReplicas) return;
  const highest = Math.min(currentReplicas, Math.max(...recommendations.map((r) => r.replicas)));
  if (highest > draft.desired) draft.set('stabilisation', highest, `scale-down uses the highest recommendation of the last ${windowSeconds}s`);
}

/**
 * Per-period step limits (up: max(+ratio, +pods); down: −ratio, at least one pod), compounded over the
 * periods since the last decision: with 60 s ticks and the HPA-like 15 s period, four steps a tick.
 */
export function stepBounds(policy: PlanPolicy, currentReplicas: number, elapsedMs: number): { maxUp: number; maxDown: number } {
  const periods = Math.max(1, Math.min(64, Math.round(elapsedMs / (policy.stepPeriodSeconds * 1000))));
  let maxUp = currentReplicas;
  let maxDown = currentReplicas;
  for (let p = 0; p < periods; p++) {
    maxUp += Math.max(policy.maxScaleUpPods, Math.ceil(maxUp * policy.maxScaleUpRatio));
    maxDown -= Math.max(1, Math.floor(maxDown * policy.maxScaleDownRatio));
  }
  return { maxUp, maxDown: Math.max(0, maxDown) };
}

export function applyStepLimits(draft: Draft, policy: PlanPolicy, currentReplicas: number, elapsedMs: number): void {
  const { maxUp, maxDown } = stepBounds(policy, currentReplicas, elapsedMs);
  const per = `per ${policy.stepPeriodSeconds}s`;
  if (draft.desired > maxUp) draft.set('max-step-up', maxUp, `at most +${Math.round(policy.maxScaleUpRatio * 100)}% (or ${policy.maxScaleUpPods} pods) ${per}`);
  else if (draft.desired < maxDown) draft.set('max-step-down', maxDown, `at most −${Math.round(policy.maxScaleDownRatio * 100)}% ${per}`);
}

export function applyBounds(draft: Draft, target: TargetConfig): void {
  const bounded = Math.min(target.maxReplicas, Math.max(target.minReplicas, draft.desired));
  if (bounded !== draft.desired) draft.set('bounds', bounded, `within [${target.minReplicas}, ${target.maxReplicas}]`);
}
