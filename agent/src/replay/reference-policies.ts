/**
 * The yardsticks the agent is compared with, per the traces README, each a replica schedule over the
 * whole trace. All aim at the same target utilisation, so they differ only in what they know and when.
 */
import { startupSteps, type ScoreParams } from './score';

export interface ServiceShape extends ScoreParams {
  targetUtilization: number;
  minReplicas: number;
  maxReplicas: number;
}

const clamp = (s: ServiceShape, n: number) => Math.min(s.maxReplicas, Math.max(s.minReplicas, n));
/** Replicas that serve `demand` at the target utilisation. */
export const replicasNeeded = (s: ServiceShape, demand: number) => clamp(s, Math.ceil(demand / (s.capacityPerPod * s.targetUtilization) - 1e-9));

/** Static peak provisioning: enough for the trace's highest demand, all the time. */
export function staticPeak(demand: ArrayLike<number>, s: ServiceShape): Int32Array {
  let peak = 0;
  for (let t = 0; t < demand.length; t++) peak = Math.max(peak, demand[t]);
  return new Int32Array(demand.length).fill(replicasNeeded(s, peak));
}

/** Knows demand one start-up ahead: asks at t for the most any step in [t, t + start-up] needs. */
export function oracle(demand: ArrayLike<number>, s: ServiceShape): Int32Array {
  const lag = startupSteps(s);
  const out = new Int32Array(demand.length);
  for (let t = 0; t < demand.length; t++) {
    let need = s.minReplicas;
    for (let k = t; k <= Math.min(demand.length - 1, t + lag); k++) need = Math.max(need, replicasNeeded(s, demand[k]));
    out[t] = need;
  }
  return out;
}

export interface HpaOptions {
  tolerance: number;
  /** Metrics reach the HPA this many steps late. */
  metricDelaySteps: number;
  scaleDownStabilizationSeconds: number;
  /** HPA sync period; the default scale-up policy allows max(+100 %, +4 pods) per period. */
  syncPeriodSeconds: number;
}

export const HPA_DEFAULTS: HpaOptions = { tolerance: 0.1, metricDelaySteps: 1, scaleDownStabilizationSeconds: 300, syncPeriodSeconds: 15 };

/**
 * The Kubernetes HPA v2 algorithm with its defaults on an average-value (per-pod rps) metric: usage
 * ratio over ready pods; inside the tolerance nothing changes; otherwise ceil(demand / target per pod);
 * a scale-down takes the highest recommendation of the stabilisation window; scale-up at most
 * max(+100 %, +4 pods) per sync period; scale-down unlimited (100 % per period).
 */
export function hpaV2(demand: ArrayLike<number>, s: ServiceShape, o: HpaOptions = HPA_DEFAULTS): Int32Array {
  const lag = startupSteps(s);
  const out = new Int32Array(demand.length);
  const windowSteps = Math.max(1, Math.round(o.scaleDownStabilizationSeconds / s.stepSeconds));
  const periods = Math.max(1, Math.round(s.stepSeconds / o.syncPeriodSeconds));
  // The last windowSteps recommendations, in a ring (the stabilisation window); `held` of them so far.
  const recs = new Float64Array(windowSteps);
  let held = 0;
  const perPod = s.capacityPerPod * s.targetUtilization;
  let current = replicasNeeded(s, demand[0]);
  for (let t = 0; t < demand.length; t++) {
    const seen = t - o.metricDelaySteps;
    if (seen >= 0) {
      // Pods serving at the instant the metric describes: the minimum asked over the start-up before it.
      let ready = current;
      for (let k = Math.max(0, seen - lag); k <= seen; k++) ready = Math.min(ready, out[k]);
      ready = Math.max(1, ready);
      const ratio = demand[seen] / (ready * perPod);
      const rec = Math.abs(ratio - 1) <= o.tolerance ? current : replicasNeeded(s, demand[seen]);
      recs[held % windowSteps] = rec;
      held++;
      let highest = -Infinity;
      for (let i = Math.min(held, windowSteps) - 1; i >= 0; i--) highest = Math.max(highest, recs[i]);
      let desired = rec < current ? Math.min(current, highest) : rec;
      let upLimit = current;
      for (let p = 0; p < periods; p++) upLimit = Math.max(upLimit * 2, upLimit + 4);
      desired = clamp(s, Math.min(desired, upLimit));
      current = desired;
    }
    out[t] = current;
  }
  return out;
}

/**
 * A schedule made to keep Saturday protection: no scale-down at steps inside a protecting window. The
 * oracle run through this is the cheapest schedule that keeps the rule (the fair cost yardstick for it).
 */
export function withProtectionHold(schedule: ArrayLike<number>, protectedStep: ArrayLike<number>): Int32Array {
  const out = new Int32Array(schedule.length);
  for (let t = 0; t < schedule.length; t++) out[t] = protectedStep[t] && t > 0 ? Math.max(schedule[t], out[t - 1]) : schedule[t];
  return out;
}
