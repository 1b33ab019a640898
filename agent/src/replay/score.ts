/**
 * Scores a replica schedule by the traces README, the same way for every policy: pods asked for at step t
 * serve from t + ceil(start-up / step); removals act at once; unserved demand is demand above
 * ready × capacity; cost is replica-steps asked for.
 */
export interface ScoreParams {
  capacityPerPod: number;
  podStartupSeconds: number;
  stepSeconds: number;
}

export interface Score {
  overloadMinutes: number;
  /** Requests not served: Σ max(0, demand − ready × capacity) × step seconds. */
  unservedRequests: number;
  replicaHours: number;
  peakReplicas: number;
}

export function startupSteps(p: ScoreParams): number {
  return Math.ceil(p.podStartupSeconds / p.stepSeconds);
}

/**
 * Ready replicas per step. With newest-first removal, the pods ready at t are exactly the minimum of the
 * counts asked for over [t − lag, t]: a pod counts only if it was continuously wanted since lag steps ago.
 * (Before the schedule starts, its first value is taken as already running.) Monotonic deque: O(n).
 */
export function readyReplicas(replicas: ArrayLike<number>, lag: number): Int32Array {
  const ready = new Int32Array(replicas.length);
  // The deque's step indices live in [head, tail) of one array: each step enters once and leaves once.
  const deque = new Int32Array(replicas.length);
  let head = 0;
  let tail = 0;
  for (let t = 0; t < replicas.length; t++) {
    while (tail > head && replicas[deque[tail - 1]] >= replicas[t]) tail--;
    deque[tail++] = t;
    while (deque[head] < t - lag) head++;
    ready[t] = replicas[deque[head]];
  }
  return ready;
}

export function scoreSchedule(replicas: ArrayLike<number>, demand: ArrayLike<number>, p: ScoreParams): Score {
  if (replicas.length !== demand.length) throw new Error(`scoreSchedule: ${replicas.length} replica values for ${demand.length} demand values`);
  return scorePart(replicas, demand, p, 0, demand.length);
}

/**
 * The score over [from, to) only, by the same rules applied to the whole schedule: a part starts with the
 * pods the steps before it left running (tune's held-out part is scored so).
 */
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
  const stepH = p.stepSeconds / 3600;
  return {
    overloadMinutes: (overloadSteps * p.stepSeconds) / 60,
    unservedRequests: Math.round(unserved * p.stepSeconds),
    replicaHours: Math.round(asked * stepH * 10) / 10,
    peakReplicas: peak,
  };
}
