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
  return replicasCsvBytes(trace, replicas).toString('latin1');
}

const CSV_HEADER = 'timestamp,replicas\n';
/** "YYYY-MM-DDTHH:MM:SS.mmmZ,": the timestamp and the comma. */
const ROW_PREFIX_BYTES = 25;
/** "-2147483648\n": the longest int32 and the newline. */
const INT32_LINE_BYTES = 12;

/**
 * replicasCsv's text as bytes (ASCII), written straight into one buffer when every count is an int32 and
 * every timestamp a whole millisecond in years 0000–9999, as in every replay: 80,640 rows of 8 weeks
 * cost a tenth of a second as strings (a string per row, the join and the UTF-8 encoding after it).
 * Anything else is formatted as text, the same way.
 */
export function replicasCsvBytes(trace: Pick<Trace, 'startMs' | 'stepMs'>, replicas: ArrayLike<number>): Buffer {
  const { startMs, stepMs } = trace;
  const lastMs = startMs + (replicas.length - 1) * stepMs;
  const regular = Number.isInteger(startMs) && Number.isInteger(stepMs) && stepMs >= 0 && startMs >= 0 && lastMs < FIVE_DIGIT_YEAR_MS && allInt32(replicas);
  if (!regular) return Buffer.from(replicasCsvText(trace, replicas), 'latin1');
  const out = Buffer.allocUnsafe(CSV_HEADER.length + replicas.length * (ROW_PREFIX_BYTES + INT32_LINE_BYTES));
  let at = out.write(CSV_HEADER, 0, 'latin1');
  let day = NaN;
  // "YYYY-MM-DDT" of the current day, written once a day and copied into every row of it.
  const dayPrefix = new Uint8Array(11);
  for (let k = 0; k < replicas.length; k++) {
    const tMs = startMs + k * stepMs;
    const d = Math.floor(tMs / DAY_MS);
    if (d !== day) {
      day = d;
      dayPrefix.set(Buffer.from(new Date(d * DAY_MS).toISOString().slice(0, 11), 'latin1'));
    }
    for (let i = 0; i < 11; i++) out[at + i] = dayPrefix[i];
    at += 11;
    const ms = tMs - d * DAY_MS;
    at = writeDigits(out, at, Math.floor(ms / 3_600_000), 2);
    out[at++] = COLON;
    at = writeDigits(out, at, Math.floor(ms / 60_000) % 60, 2);
    out[at++] = COLON;
    at = writeDigits(out, at, Math.floor(ms / 1000) % 60, 2);
    out[at++] = POINT;
    at = writeDigits(out, at, ms % 1000, 3);
    out[at++] = LETTER_Z;
    out[at++] = COMMA;
    at = writeInt(out, at, replicas[k]);
    out[at++] = NEWLINE;
  }
  return out.subarray(0, at);
}

const [COLON, POINT, LETTER_Z, COMMA, NEWLINE, MINUS, ZERO] = [':', '.', 'Z', ',', '\n', '-', '0'].map((c) => c.charCodeAt(0));
/** toISOString writes a six-digit year from 10000-01-01T00:00:00Z on. */
const FIVE_DIGIT_YEAR_MS = 253_402_300_800_000;

function allInt32(values: ArrayLike<number>): boolean {
  if (values instanceof Int32Array) return true;
  for (let k = 0; k < values.length; k++) if ((values[k] | 0) !== values[k] || Object.is(values[k], -0)) return false;
  return true;
}

/** `n` (0 ≤ n < 10^width) as `width` digits, zero-padded; returns the offset after them. */
function writeDigits(out: Buffer, at: number, n: number, width: number): number {
  for (let i = width - 1; i >= 0; i--) {
    out[at + i] = ZERO + (n % 10);
    n = Math.floor(n / 10);
  }
  return at + width;
}

/** An int32 in decimal as String() writes it; returns the offset after it. */
function writeInt(out: Buffer, at: number, n: number): number {
  if (n < 0) {
    out[at++] = MINUS;
    // -2^31 has no int32 opposite; as a double it is exact.
    n = -n;
  }
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  return writeDigits(out, at, n, digits);
}

/** replicasCsv's text built row by row (what replicasCsvBytes does without its fast conditions). */
function replicasCsvText(trace: Pick<Trace, 'startMs' | 'stepMs'>, replicas: ArrayLike<number>): string {
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
