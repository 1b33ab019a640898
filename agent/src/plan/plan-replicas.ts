/**
 * planReplicas: the replica count for one target, as a pure function of (inputs, policy, now).
 *
 * Rules apply in a fixed order, each recorded as a reason:
 *   1. reactive (HPA v2 rule on observed load) and predictive (peak forecast one start-up ahead) → the max
 *   2. fail-safe: missing/stale load holds the last good decision, never scales down
 *   3. wedding floors: peak-season pre-scale on minReplicas; headroom for wedding-critical targets
 *   4. stabilisation: a scale-down uses the highest recommendation of the window
 *   5. Saturday protection and freeze overrides: no scale-down
 *   6. pin / floor overrides
 *   7. step limits and min/max bounds
 */
import type { PlanPolicy } from '../config/schema';
import { isPeakSeason, liveWeddings, protectingWeddings } from '../calendar/rules';
import type { Decision, PlanInput, PlanResult, ProtectionKind, Reason } from './types';

export function replicasFor(load: number, capacityPerPod: number, utilization: number): number {
  return Math.ceil(load / (capacityPerPod * utilization) - 1e-9);
}

export function planReplicas(input: PlanInput, policy: PlanPolicy, nowMs: number): PlanResult {
  const { target, currentReplicas, observed, calendar } = input;
  const reasons: Reason[] = [];
  const protections: ProtectionKind[] = [];
  const overrides = input.overrides.filter((o) => o.targetId === target.id && o.untilMs > nowMs);
  const perPod = target.capacityPerPod * target.targetUtilization;

  // 1. Reactive + predictive.
  let desired: number;
  const holding = observed === null;
  if (!holding) {
    const ratio = currentReplicas > 0 ? observed / (currentReplicas * perPod) : Infinity;
    const reactive = Math.abs(ratio - 1) <= policy.tolerance ? currentReplicas : replicasFor(observed, target.capacityPerPod, target.targetUtilization);
    reasons.push({ rule: 'reactive', replicas: reactive, detail: `observed ${observed.toFixed(1)} at ${(ratio * 100).toFixed(0)}% of target utilisation` });
    desired = reactive;
    const leadMs = target.podStartupSeconds * 1000;
    const window = input.forecast.filter((p) => p.tMs >= nowMs + leadMs && p.tMs <= nowMs + leadMs + policy.predictiveWindowSeconds * 1000);
    if (window.length) {
      const peak = Math.max(...window.map((p) => p.value));
      const predictive = replicasFor(peak, target.capacityPerPod, target.targetUtilization);
      reasons.push({ rule: 'predictive', replicas: predictive, detail: `forecast peak ${peak.toFixed(1)} within ${target.podStartupSeconds}s start-up + ${policy.predictiveWindowSeconds}s` });
      desired = Math.max(desired, predictive);
    }
  } else {
    // 2. Fail-safe: no data is not zero load.
    desired = Math.max(currentReplicas, input.memory.lastGood ?? currentReplicas);
    protections.push('stale_data');
    reasons.push({ rule: 'fail-safe', replicas: desired, detail: 'load missing or stale: holding the last good decision, no scale-down' });
  }
  const lastGood = holding ? input.memory.lastGood : desired;

  // 3. Wedding floors.
  let floor = target.minReplicas;
  if (isPeakSeason(nowMs, calendar.rules, target.region) && policy.peakSeasonPreScale > 0) {
    floor = Math.ceil(target.minReplicas * (1 + policy.peakSeasonPreScale));
    protections.push('peak_season');
    reasons.push({ rule: 'peak-season', replicas: floor, detail: `peak season: floor minReplicas × ${1 + policy.peakSeasonPreScale}` });
  }
  const live = liveWeddings(calendar, nowMs, target.timezones);
  if (target.weddingCritical && live.length && policy.weddingHeadroom > 0) {
    const withHeadroom = Math.ceil(desired * (1 + policy.weddingHeadroom));
    protections.push('wedding_headroom');
    reasons.push({ rule: 'wedding-headroom', replicas: withHeadroom, detail: `${live.length} wedding(s) live: +${policy.weddingHeadroom * 100}% headroom` });
    desired = withHeadroom;
  }
  if (desired < floor) desired = floor;

  // 4. Scale-down stabilisation over the window's recommendations.
  const windowStart = nowMs - policy.scaleDownStabilizationSeconds * 1000;
  const recommendations = [...input.memory.recommendations.filter((r) => r.tMs > windowStart), { tMs: nowMs, replicas: desired }];
  if (desired < currentReplicas) {
    const stabilised = Math.max(...recommendations.map((r) => r.replicas));
    if (stabilised > desired) {
      reasons.push({ rule: 'stabilisation', replicas: Math.min(stabilised, currentReplicas), detail: `highest recommendation in the last ${policy.scaleDownStabilizationSeconds}s` });
      desired = Math.min(stabilised, currentReplicas);
    }
  }

  // 5. No scale-down on protected wedding days or under a freeze.
  const protecting = protectingWeddings(calendar, nowMs, target.timezones);
  const deployFreeze = protecting.length > 0;
  if (deployFreeze) {
    protections.push('saturday');
    if (desired < currentReplicas) {
      reasons.push({ rule: 'saturday-protection', replicas: currentReplicas, detail: `${protecting.length} wedding(s) live on a protected day: no scale-down` });
      desired = currentReplicas;
    }
  }
  if (overrides.some((o) => o.type === 'freeze')) {
    protections.push('override_freeze');
    if (desired < currentReplicas) {
      reasons.push({ rule: 'override-freeze', replicas: currentReplicas, detail: 'freeze override: no scale-down' });
      desired = currentReplicas;
    }
  }

  // 6. Operator overrides.
  for (const o of overrides.filter((x) => x.type === 'floor')) {
    protections.push('override_floor');
    if (desired < o.replicas!) {
      reasons.push({ rule: 'override-floor', replicas: o.replicas!, detail: `floor by ${o.author}: ${o.reason}` });
      desired = o.replicas!;
    }
  }
  const pin = overrides.find((o) => o.type === 'pin');

  // 7. Bounds.
  const bounded = Math.min(target.maxReplicas, Math.max(target.minReplicas, desired));
  if (bounded !== desired) reasons.push({ rule: 'bounds', replicas: bounded, detail: `within [${target.minReplicas}, ${target.maxReplicas}]` });
  desired = bounded;
  if (pin) {
    protections.push('override_pin');
    reasons.push({ rule: 'override-pin', replicas: pin.replicas!, detail: `pinned by ${pin.author}: ${pin.reason}` });
    desired = pin.replicas!;
  }

  const decision: Decision = { targetId: target.id, atMs: nowMs, currentReplicas, desiredReplicas: desired, reasons, protections, deployFreeze, holding };
  return {
    decision,
    memory: { recommendations, lastGood, lastProtectedMs: live.length ? nowMs : input.memory.lastProtectedMs },
  };
}
