/**
 * Reactive rule: the Kubernetes HPA v2 formula on observed load. desired = ceil(current × observed/target),
 * unchanged while the ratio is within the tolerance (so noise does not make replicas flap).
 */
import type { TargetConfig } from '../config/schema';
import { fmt, replicasForTarget } from './draft';

export interface RuleAnswer {
  replicas: number;
  detail: string;
}

export function reactiveReplicas(target: TargetConfig, currentReplicas: number, observed: number, tolerance: number): RuleAnswer {
  const perPod = target.capacityPerPod * target.targetUtilization;
  const ratio = currentReplicas > 0 ? observed / (currentReplicas * perPod) : Infinity;
  const pct = Number.isFinite(ratio) ? `${(ratio * 100).toFixed(0)}%` : 'no pods';
  if (Math.abs(ratio - 1) <= tolerance) {
    return { replicas: currentReplicas, detail: `observed ${fmt(observed)} at ${pct} of target utilisation: within ±${tolerance * 100}% tolerance` };
  }
  return { replicas: replicasForTarget(observed, target), detail: `observed ${fmt(observed)} at ${pct} of target utilisation` };
}
