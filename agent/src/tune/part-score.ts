/**
 * Scores of a schedule over part of its range: the traces README's rules (pods asked at t serve from
 * t + start-up; removals at once) applied to the whole schedule, then counted over [from, to) only, so
 * the held-out part starts with the pods the earlier part left running.
 */
import { readyReplicas, startupSteps, type Score, type ScoreParams } from '../replay/score';

export function scorePart(replicas: ArrayLike<number>, demand: ArrayLike<number>, p: ScoreParams, from: number, to: number): Score {
  const ready = readyReplicas(replicas, startupSteps(p));
  let overloadSteps = 0;
  let unserved = 0;
  let asked = 0;
  let peak = 0;
  for (let t = from; t < to; t++) {
    const short = demand[t] - ready[t] * p.capacityPerPod;
    if (short > 1e-9) {
      overloadSteps++;
      unserved += short;
    }
    asked += replicas[t];
    if (replicas[t] > peak) peak = replicas[t];
  }
  return {
    overloadMinutes: (overloadSteps * p.stepSeconds) / 60,
    unservedRequests: Math.round(unserved * p.stepSeconds),
    replicaHours: Math.round(asked * (p.stepSeconds / 3600) * 10) / 10,
    peakReplicas: peak,
  };
}
