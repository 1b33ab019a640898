/**
 * Unannounced surges (viral spikes): no calendar announces them and the forecaster learns them too late,
 * so provisioning for the demand *now* leaves a whole start-up of overload. Once an onset is signalled and
 * the load is rising, this rule continues the rise's slope one start-up ahead and asks for that
 * demand's replicas. While the load stays near the surge's peak it keeps the peak's replicas for up to one
 * start-up (one flat, noisy minute is not the end of a viral rise); once the load falls clearly below the
 * peak, or has not risen for a start-up, the surge has passed and the rule lets go (stabilisation then
 * brings capacity down).
 *
 * Onset: the detector's verdict (a spike or level shift scoring at least `surgeOnsetScore`), or the load
 * overshooting what the forecast said one tick ago by `surgeForecastMiss`: a detector scores surprise
 * against its own baseline, while the miss is exactly what the planner failed to provision for.
 */
import type { PlanPolicy, TargetConfig } from '../config/schema';
import type { AnomalyResult } from '../detect/detector';
import { fmt, replicasForTarget } from './draft';
import type { RuleAnswer } from './reactive';
import type { SurgeState } from './types';

export type { SurgeState };

export interface LoadPoint {
  tMs: number;
  value: number;
}

/** Keeps the readings the growth rate is measured over (bounded: a window and a count). */
export function rememberLoad(recent: readonly LoadPoint[], point: LoadPoint, windowMs: number): LoadPoint[] {
  const kept: LoadPoint[] = [];
  for (const p of recent) if (p.tMs >= point.tMs - windowMs && p.tMs < point.tMs) kept.push(p);
  kept.push(point);
  return kept.length > 64 ? kept.slice(-64) : kept;
}

/** Growth over the window: the latest value over the oldest one, and the span between them. */
export function recentGrowth(recent: readonly LoadPoint[]): { ratio: number; spanMs: number } | null {
  if (recent.length < 2) return null;
  const first = recent[0];
  const last = recent[recent.length - 1];
  if (last.tMs <= first.tMs || first.value <= 0) return null;
  return { ratio: last.value / first.value, spanMs: last.tMs - first.tMs };
}

export function isOnset(anomaly: AnomalyResult | undefined, policy: PlanPolicy, observed: number, forecastNow: number | null): boolean {
  const detected = !!anomaly && (anomaly.kind === 'spike' || anomaly.kind === 'level_shift') && anomaly.score >= policy.surgeOnsetScore;
  const missed = forecastNow !== null && forecastNow > 0 && observed > forecastNow * (1 + policy.surgeForecastMiss);
  return detected || missed;
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
  forecastNow: number | null,
  nowMs: number,
  leadMs: number,
): SurgeOutcome {
  const growth = recentGrowth(recent);
  const rising = !!growth && growth.ratio > 1;
  const observed = recent[recent.length - 1].value;
  if (!state && !(rising && isOnset(anomaly, policy, observed, forecastNow))) return { answer: null, state: null };
  const peakObserved = Math.max(state?.peakObserved ?? 0, observed);
  const since = new Date(state?.sinceMs ?? nowMs).toISOString();
  if (!rising) {
    const lastRiseMs = state!.lastRiseMs ?? state!.sinceMs;
    if (observed < peakObserved * (1 - policy.tolerance) || nowMs - lastRiseMs > leadMs) return { answer: null, state: null };
    return {
      answer: {
        replicas: replicasForTarget(peakObserved, target),
        detail: `surge since ${since}: load ${fmt(observed)} still near its peak ${fmt(peakObserved)}`,
      },
      state: { ...state!, peakObserved, lastRiseMs },
    };
  }
  // Continue the rise in a straight line for one start-up, bounded. (Compounding the growth rate instead
  // overshoots badly by mid-rise: a viral rise adds roughly a constant number of requests per minute.)
  const slopePerMs = (observed - recent[0].value) / growth.spanMs;
  const expected = Math.min(observed * policy.surgeMaxGrowth, observed + slopePerMs * leadMs);
  const next = { sinceMs: state?.sinceMs ?? nowMs, peakExpected: Math.max(state?.peakExpected ?? 0, expected), peakObserved, lastRiseMs: nowMs };
  return {
    answer: {
      replicas: replicasForTarget(expected, target),
      detail: `surge since ${since}: load ${fmt(observed)} rising ×${growth.ratio.toFixed(2)} in ${Math.round(growth.spanMs / 1000)}s, expecting ${fmt(expected)} one start-up ahead`,
    },
    state: next,
  };
}

/** What the previous tick's forecast said about `nowMs` (its nearest point within a minute), if anything. */
export function forecastFor(points: ReadonlyArray<{ tMs: number; value: number }> | undefined, nowMs: number): number | null {
  let best: { tMs: number; value: number } | null = null;
  for (const p of points ?? []) if (Math.abs(p.tMs - nowMs) <= 60_000 && (!best || Math.abs(p.tMs - nowMs) < Math.abs(best.tMs - nowMs))) best = p;
  return best ? best.value : null;
}

/** The forecast points worth remembering for the next tick's miss check: the next two minutes. */
export function forecastSoon(points: ReadonlyArray<{ tMs: number; value: number }>, nowMs: number): Array<{ tMs: number; value: number }> {
  const soon: Array<{ tMs: number; value: number }> = [];
  for (const p of points) if (p.tMs > nowMs && p.tMs <= nowMs + 120_000) soon.push({ tMs: p.tMs, value: p.value });
  return soon;
}
