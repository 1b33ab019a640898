/**
 * One replay run: the agent and the reference policies on the same trace, scored by the same rules,
 * with the targets checked (overload and unserved ≤ 10 % of the HPA's, cost ≤ 1.10 × the oracle's).
 */
import { hpaV2, oracle, staticPeak, withProtectionHold, type ServiceShape } from './reference-policies';
import { replayAgent, type ReplayOptions, type RuleChange } from './run-replay';
import { scoreSchedule, type Score } from './score';
import type { Trace } from './trace';
import type { ReplicaPrice } from '../plan/price';

export const TARGETS = { overloadVsHpa: 0.1, unservedVsHpa: 0.1, replicaHoursVsOracle: 1.1 };

export interface ReplaySummary {
  trace: string;
  start: string;
  minutes: number;
  /** oracle_hold: the oracle keeping the agent's Saturday protection windows (no scale-down inside them). */
  policies: { agent: PricedScore; static_peak: PricedScore; hpa_v2: PricedScore; oracle: PricedScore; oracle_hold: PricedScore };
  /** What a replica-hour cost (price table); every policy's `cost` is its replicaHours × this, null when unknown. */
  price: ReplicaPrice;
  agentVsHpa: { overloadMinutes: number | null; unservedRequests: number | null };
  agentVsOracle: { replicaHours: number };
  agentVsOracleWithHold: { replicaHours: number };
  targetsMet: { overload: boolean; unserved: boolean; replicaHours: boolean };
  agent: { holdingSteps: number; deployFreezeSteps: number; finalRules: Record<string, number>; forecastMethod: string | null };
  elapsedSeconds: number;
}

/** A score with its replica-hours in money (the price's currency), null when the price is unknown. */
export type PricedScore = Score & { cost: number | null; currency: string };

/** replicaHours × price, to the cent's hundredth; null (never 0) when the price is unknown. */
export function costOf(replicaHours: number, price: Pick<ReplicaPrice, 'perReplicaHour'>): number | null {
  return price.perReplicaHour === null ? null : Math.round(replicaHours * price.perReplicaHour * 10_000) / 10_000;
}

export function shapeOf(trace: Trace): ServiceShape {
  const m = trace.meta;
  return {
    capacityPerPod: m.podCapacityRps,
    podStartupSeconds: m.podStartupSeconds,
    stepSeconds: m.stepSeconds,
    targetUtilization: m.targetUtilization,
    minReplicas: m.minReplicas,
    maxReplicas: m.maxReplicas,
  };
}

/** a / b, or null when b is 0 (then the target is met only if a is 0 too). */
const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
const within = (a: number, b: number, limit: number) => (b === 0 ? a === 0 : a <= b * limit);

export async function compareOnTrace(
  trace: Trace,
  opts: ReplayOptions = {},
  now: () => number = Date.now,
): Promise<{ summary: ReplaySummary; agentReplicas: Int32Array; ruleChanges: RuleChange[] }> {
  const started = now();
  const shape = shapeOf(trace);
  const agent = await replayAgent(trace, opts);
  const score = (r: ArrayLike<number>): PricedScore => {
    const s = scoreSchedule(r, trace.demand, shape);
    return { ...s, cost: costOf(s.replicaHours, agent.price), currency: agent.price.currency };
  };
  const oracleSchedule = oracle(trace.demand, shape);
  const policies = {
    agent: score(agent.replicas),
    static_peak: score(staticPeak(trace.demand, shape)),
    hpa_v2: score(hpaV2(trace.demand, shape)),
    oracle: score(oracleSchedule),
    oracle_hold: score(withProtectionHold(oracleSchedule, agent.protectedSteps)),
  };
  const { agent: a, hpa_v2: h, oracle: o } = policies;
  const summary: ReplaySummary = {
    trace: trace.dir,
    start: new Date(trace.startMs).toISOString(),
    minutes: (trace.demand.length * trace.stepMs) / 60_000,
    policies,
    price: agent.price,
    agentVsHpa: { overloadMinutes: ratio(a.overloadMinutes, h.overloadMinutes), unservedRequests: ratio(a.unservedRequests, h.unservedRequests) },
    agentVsOracle: { replicaHours: ratio(a.replicaHours, o.replicaHours) ?? 0 },
    agentVsOracleWithHold: { replicaHours: ratio(a.replicaHours, policies.oracle_hold.replicaHours) ?? 0 },
    targetsMet: {
      overload: within(a.overloadMinutes, h.overloadMinutes, TARGETS.overloadVsHpa),
      unserved: within(a.unservedRequests, h.unservedRequests, TARGETS.unservedVsHpa),
      replicaHours: within(a.replicaHours, o.replicaHours, TARGETS.replicaHoursVsOracle),
    },
    agent: { holdingSteps: agent.holdingSteps, deployFreezeSteps: agent.deployFreezeSteps, finalRules: agent.rules, forecastMethod: agent.forecastMethod },
    elapsedSeconds: Math.round((now() - started) / 100) / 10,
  };
  return { summary, agentReplicas: agent.replicas, ruleChanges: agent.ruleChanges };
}

/** `timestamp,replicas` for every step. */
export function replicasCsv(trace: Trace, replicas: ArrayLike<number>): string {
  const lines = ['timestamp,replicas'];
  for (let k = 0; k < replicas.length; k++) lines.push(`${isoTimestamp(trace.startMs + k * trace.stepMs)},${replicas[k]}`);
  return lines.join('\n') + '\n';
}

const DAY_MS = 86_400_000;
const pad = (n: number, width: number) => String(n).padStart(width, '0');
let isoDay = NaN;
let isoDayPrefix = '';

/**
 * `new Date(t).toISOString()`, with the date part formatted once per day (a replay writes 1,440 rows a
 * day; toISOString for each was a few % of an 8-week replay). Years outside 0000–9999 are left to Date.
 */
export function isoTimestamp(tMs: number): string {
  if (!(tMs >= 0 && tMs < 253_402_300_800_000) || tMs !== Math.floor(tMs)) return new Date(tMs).toISOString();
  const day = Math.floor(tMs / DAY_MS);
  if (day !== isoDay) {
    isoDay = day;
    isoDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const ms = tMs - day * DAY_MS;
  return `${isoDayPrefix}${pad(Math.floor(ms / 3_600_000), 2)}:${pad(Math.floor(ms / 60_000) % 60, 2)}:${pad(Math.floor(ms / 1000) % 60, 2)}.${pad(ms % 1000, 3)}Z`;
}
