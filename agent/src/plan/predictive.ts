/**
 * Predictive rule: provision now for the forecast peak over [now + lead, now + lead + window], where
 * lead is the pod start-up time: pods asked for now are ready exactly when that window opens.
 */
import type { TargetConfig } from '../config/schema';
import type { ForecastPoint } from '../forecast/forecaster';
import { fmt, replicasForTarget } from './draft';
import type { RuleAnswer } from './reactive';

export function predictiveReplicas(
  target: TargetConfig,
  forecast: readonly ForecastPoint[],
  nowMs: number,
  leadMs: number,
  windowMs: number,
  currentReplicas: number,
  tolerance: number,
): RuleAnswer | null {
  const from = nowMs + leadMs;
  const to = from + windowMs;
  let peak = -Infinity;
  for (const p of forecast) if (p.tMs >= from && p.tMs <= to && p.value > peak) peak = p.value;
  if (peak === -Infinity) return null;
  // The HPA's tolerance applies to a forecast as to a reading: a peak within it keeps the current count.
  const ratio = currentReplicas > 0 ? peak / (currentReplicas * target.capacityPerPod * target.targetUtilization) : Infinity;
  return {
    replicas: Math.abs(ratio - 1) <= tolerance ? currentReplicas : replicasForTarget(peak, target),
    detail: `forecast peak ${fmt(peak)} within ${Math.round(leadMs / 1000)}s start-up + ${Math.round(windowMs / 1000)}s`,
  };
}

/**
 * Announced steps: the calendar knows to the minute when a ceremony or reception starts, while a
 * forecaster fitted on history blurs such steps (its calendar weight is a long-run average). So the load
 * now plus the rise in expected wedding load over the same window is a second, calendar-only forecast.
 */
export function calendarStepReplicas(
  target: TargetConfig,
  observed: number,
  expectedWeddingLoad: (tMs: number) => number,
  nowMs: number,
  leadMs: number,
  windowMs: number,
  stepMs: number,
  scale: number,
): RuleAnswer | null {
  if (scale <= 0) return null;
  const base = expectedWeddingLoad(nowMs);
  let rise = 0;
  for (let t = nowMs + leadMs; t <= nowMs + leadMs + windowMs; t += stepMs) rise = Math.max(rise, expectedWeddingLoad(t) - base);
  if (rise <= 0) return null;
  const expected = observed + scale * rise;
  return {
    replicas: replicasForTarget(expected, target),
    detail: `calendar: expected wedding load rises by ${fmt(rise)} within ${Math.round(leadMs / 1000)}s start-up + ${Math.round(windowMs / 1000)}s`,
  };
}
