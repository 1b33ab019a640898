/**
 * "HPA with more headroom": what a user gets by lowering the HPA's target utilisation instead of running
 * the agent. Each point is HPA v2 replayed at the target's utilisation × f (f = 1.0, 0.95, …, 0.3) and
 * scored like every other policy; between points the figures are interpolated on replica-hours.
 *
 * Shared by `backtest`/`replay --report` (the report's headline) and the replay benchmark. Pure: no I/O,
 * no clock. Keep the exported API stable — other code reads these figures.
 */
import { HPA_DEFAULTS, hpaV2, type HpaOptions, type ServiceShape } from './reference-policies';
import { scoreSchedule, type Score } from './score';

/** 1.0, 0.95, …, 0.3: from the target's own utilisation down to 30 % of it. */
export const HPA_HEADROOM_FACTORS: readonly number[] = Array.from({ length: 15 }, (_, i) => Math.round((1 - i * 0.05) * 100) / 100);

export interface HpaFrontierPoint {
  /** Multiplier on the target's utilisation (1 = the target's own HPA). */
  factor: number;
  /** The HPA's target utilisation at this point: shape.targetUtilization × factor. */
  targetUtilization: number;
  score: Score;
}

export interface HpaFrontier {
  /** One point per factor, in the order given (by default f = 1.0 first). */
  points: HpaFrontierPoint[];
}

export interface HpaFrontierOptions {
  factors?: readonly number[];
  hpa?: HpaOptions;
}

/** Replays HPA v2 on `demand` once per factor. */
export function hpaFrontier(demand: ArrayLike<number>, shape: ServiceShape, opts: HpaFrontierOptions = {}): HpaFrontier {
  const factors = opts.factors ?? HPA_HEADROOM_FACTORS;
  if (!factors.length) throw new Error('hpaFrontier: no factors');
  const points = factors.map((factor) => {
    if (!(factor > 0 && factor <= 1)) throw new Error(`hpaFrontier: factor ${factor} is not in (0, 1]`);
    const targetUtilization = shape.targetUtilization * factor;
    const schedule = hpaV2(demand, { ...shape, targetUtilization }, opts.hpa ?? HPA_DEFAULTS);
    return { factor, targetUtilization, score: scoreSchedule(schedule, demand, shape) };
  });
  return { points };
}

/** The HPA's figures at a given cost, read off the frontier. */
export interface HpaAtReplicaHours {
  overloadMinutes: number;
  unservedRequests: number;
  /** 'below' / 'above': the cost lies outside the frontier; the nearest end's figures are given. */
  outside: 'below' | 'above' | null;
}

type Metric = 'overloadMinutes' | 'unservedRequests';

/**
 * Points sorted by replica-hours, with `metric` replaced by its running minimum: a user paying more can
 * always choose the cheaper setting, so the frontier never gets worse as cost rises.
 */
function envelope(f: HpaFrontier, metric: Metric): Array<{ cost: number; value: number }> {
  const sorted = [...f.points].sort((a, b) => a.score.replicaHours - b.score.replicaHours);
  let best = Infinity;
  return sorted.map((p) => ({ cost: p.score.replicaHours, value: (best = Math.min(best, p.score[metric])) }));
}

function valueAt(env: Array<{ cost: number; value: number }>, cost: number): number {
  if (cost <= env[0].cost) return env[0].value;
  for (let i = 1; i < env.length; i++) {
    const a = env[i - 1];
    const b = env[i];
    if (cost <= b.cost) return b.cost === a.cost ? b.value : a.value + ((cost - a.cost) / (b.cost - a.cost)) * (b.value - a.value);
  }
  return env[env.length - 1].value;
}

/** Overload minutes and unserved requests of the HPA at `replicaHours`, linearly interpolated. */
export function hpaAtReplicaHours(f: HpaFrontier, replicaHours: number): HpaAtReplicaHours {
  const over = envelope(f, 'overloadMinutes');
  const outside = replicaHours < over[0].cost ? 'below' : replicaHours > over[over.length - 1].cost ? 'above' : null;
  return {
    overloadMinutes: Math.round(valueAt(over, replicaHours) * 10) / 10,
    unservedRequests: Math.round(valueAt(envelope(f, 'unservedRequests'), replicaHours)),
    outside,
  };
}

/**
 * The fewest replica-hours at which the HPA's overload is at most `overloadMinutes` (interpolated between
 * the last point above it and the first at or below it), or null when even the lowest utilisation on the
 * frontier cannot get there.
 */
export function hpaReplicaHoursForOverload(f: HpaFrontier, overloadMinutes: number): number | null {
  const env = envelope(f, 'overloadMinutes');
  const i = env.findIndex((p) => p.value <= overloadMinutes);
  if (i < 0) return null;
  if (i === 0) return env[0].cost;
  const a = env[i - 1];
  const b = env[i];
  const cost = a.cost + ((a.value - overloadMinutes) / (a.value - b.value)) * (b.cost - a.cost);
  return Math.round(cost * 10) / 10;
}

export interface HpaHeadline {
  /** Replica-hours the HPA alone needs to match the agent's overload, or null if no setting does. */
  hpaReplicaHoursToMatch: number | null;
  /** That cost relative to the agent's, in % (e.g. 23.5 = 23.5 % more; negative = the HPA is cheaper). */
  extraReplicaHoursPercent: number | null;
  /** The HPA's overload minutes and unserved requests at the agent's replica-hours. */
  atAgentReplicaHours: HpaAtReplicaHours;
  /** One sentence for people: the first figure when the HPA can match the agent, else the second. */
  text: string;
}

/** The report's headline: the agent's score against the HPA-with-more-headroom frontier. */
export function hpaHeadline(f: HpaFrontier, agent: Pick<Score, 'overloadMinutes' | 'replicaHours'>): HpaHeadline {
  const match = hpaReplicaHoursForOverload(f, agent.overloadMinutes);
  const extra = match === null || agent.replicaHours === 0 ? null : Math.round(((match - agent.replicaHours) / agent.replicaHours) * 1000) / 10;
  const at = hpaAtReplicaHours(f, agent.replicaHours);
  const atText = `at the agent's replica-hours the HPA alone has ${at.overloadMinutes} overload minutes (the agent: ${agent.overloadMinutes})`;
  const text =
    extra === null
      ? `No HPA target utilisation down to ${Math.round(Math.min(...f.points.map((p) => p.factor)) * 100)} % of the target's matches the agent's overload; ${atText}.`
      : extra >= 0
        ? `To match the agent's overload the HPA alone needs ${extra} % more replica-hours; ${atText}.`
        : `The HPA alone matches the agent's overload with ${-extra} % fewer replica-hours; ${atText}.`;
  return { hpaReplicaHoursToMatch: match, extraReplicaHoursPercent: extra, atAgentReplicaHours: at, text };
}
