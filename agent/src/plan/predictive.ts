/**
 * Predictive rule: provision now for the forecast peak over [now + lead, now + lead + window], where
 * lead is the pod start-up time: pods asked for now are ready exactly when that window opens.
 */
import type { TargetConfig } from '../config/schema';
import type { ForecastPoint } from '../forecast/forecaster';
import { fmt, replicasForTarget } from './draft';
import type { RuleAnswer } from './reactive';

export function predictiveReplicas(target: TargetConfig, forecast: readonly ForecastPoint[], nowMs: number, leadMs: number, windowMs: number): RuleAnswer | null {
  const from = nowMs + leadMs;
  const to = from + windowMs;
  let peak = -Infinity;
  for (const p of forecast) if (p.tMs >= from && p.tMs <= to && p.value > peak) peak = p.value;
  if (peak === -Infinity) return null;
  return {
    replicas: replicasForTarget(peak, target),
    detail: `forecast peak ${fmt(peak)} within ${Math.round(leadMs / 1000)}s start-up + ${Math.round(windowMs / 1000)}s`,
  };
}
