/**
 * Unannounced surges (viral spikes): no calendar announces them and the forecaster learns them too late,
 * so provisioning for the demand *now* leaves a whole start-up of overload. Once the detector signals an
 * onset and the load is rising, this rule extrapolates the rise's growth rate one start-up ahead and asks
 * for that demand's replicas. It lets go as soon as the rise stops (stabilisation then brings it down).
 */
import type { PlanPolicy, TargetConfig } from '../config/schema';
import type { AnomalyResult } from '../detect/detector';
import { fmt, replicasForTarget } from './draft';
import type { RuleAnswer } from './reactive';

export interface LoadPoint {
  tMs: number;
  value: number;
}

export interface SurgeState {
  sinceMs: number;
  peakExpected: number;
}

/** Keeps the readings the growth rate is measured over (bounded: a window and a count). */
export function rememberLoad(recent: readonly LoadPoint[], point: LoadPoint, windowMs: number): LoadPoint[] {
  const kept = recent.filter((p) => p.tMs >= point.tMs - windowMs && p.tMs < point.tMs);
  kept.push(point);
  return kept.slice(-64);
}

/** Growth factor per millisecond-span: the latest value over the oldest one in the window. */
export function recentGrowth(recent: readonly LoadPoint[]): { ratio: number; spanMs: number } | null {
  if (recent.length < 2) return null;
  const first = recent[0];
  const last = recent[recent.length - 1];
  if (last.tMs <= first.tMs || first.value <= 0) return null;
  return { ratio: last.value / first.value, spanMs: last.tMs - first.tMs };
}

export function isOnset(anomaly: AnomalyResult | undefined, policy: PlanPolicy): boolean {
  return !!anomaly && (anomaly.kind === 'spike' || anomaly.kind === 'level_shift') && anomaly.score >= policy.surgeOnsetScore;
}

export interface SurgeOutcome {
  answer: RuleAnswer | null;
  state: SurgeState | null;
}

export function surgeReplicas(
  target: TargetConfig,
  policy: PlanPolicy,
  state: SurgeState | null,
  recent: readonly LoadPoint[],
  anomaly: AnomalyResult | undefined,
  nowMs: number,
  leadMs: number,
): SurgeOutcome {
  const growth = recentGrowth(recent);
  const rising = !!growth && growth.ratio > 1;
  if (!rising) return { answer: null, state: null };
  if (!state && !isOnset(anomaly, policy)) return { answer: null, state: null };
  const observed = recent[recent.length - 1].value;
  // Compound the recent growth over one start-up, bounded: a rise's first minutes overstate its end.
  const factor = Math.min(policy.surgeMaxGrowth, Math.pow(growth!.ratio, leadMs / growth!.spanMs));
  const expected = observed * factor;
  const next = { sinceMs: state?.sinceMs ?? nowMs, peakExpected: Math.max(state?.peakExpected ?? 0, expected) };
  return {
    answer: {
      replicas: replicasForTarget(expected, target),
      detail: `surge since ${new Date(next.sinceMs).toISOString()}: load ${fmt(observed)} rising ×${growth!.ratio.toFixed(2)} per ${Math.round(growth!.spanMs / 1000)}s, expecting ${fmt(expected)} one start-up ahead`,
    },
    state: next,
  };
}
