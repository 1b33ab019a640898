/**
 * What a backtest report says, computed once from a replayed target (pure: no I/O, no clock): every
 * policy's schedule and score, the "HPA with more headroom" frontier and the headline, per-weekend
 * figures, gaps, and the wedding bands. summary.json and report.html are both written from this.
 */
import { indexCalendar, protectionWindows } from '../calendar/rules';
import type { WeddingRules } from '../config/schema';
import type { ReplaySummary } from '../replay/compare';
import { costOf, shapeOf, TARGETS } from '../replay/compare';
import type { ReplicaPrice } from '../plan/price';
import { PROTECTION_RULES } from '../plan/protection-cost';
import type { RuleChange } from '../replay/run-replay';
import { hpaFrontier, hpaHeadline, hpaReplicaHoursForOverload, type HpaFrontier, type HpaHeadline } from '../replay/hpa-frontier';
import { hpaV2, oracle, staticPeak, type ServiceShape } from '../replay/reference-policies';
import { readyReplicas, scoreSchedule, startupSteps, type Score } from '../replay/score';
import { missingRanges, type Trace } from '../replay/trace';

export const POLICY_NAMES = ['agent', 'cluster_ran', 'hpa_v2', 'hpa_headroom', 'static_peak', 'oracle'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export const POLICY_LABELS: Record<PolicyName, string> = {
  agent: 'WedSync agent',
  cluster_ran: 'What the cluster ran',
  hpa_v2: 'HPA v2 (target utilisation)',
  hpa_headroom: 'HPA with more headroom',
  static_peak: 'Static peak',
  oracle: 'Oracle (knows demand one start-up ahead)',
};

/** A replayed target, as `replay` or `backtest` produced it. */
export interface ReplayedTarget {
  id: string;
  trace: Trace;
  agentReplicas: ArrayLike<number>;
  summary: ReplaySummary;
  /** Replicas the cluster really ran, one per step, and the query that found them; null when no series existed. */
  cluster: { query: string; replicas: ArrayLike<number>; missingSteps: number } | null;
  rules: WeddingRules;
  /** Time zones whose weddings the target serves (empty: all). */
  timezones: readonly string[];
  /** Where the planner's deciding rule changed (from the replay); absent in older callers: no "why" marks. */
  ruleChanges?: readonly RuleChange[];
}

/** A "why" mark on the chart: from this step, a protection or calendar rule set the agent's count. */
export interface WhyMark {
  step: number;
  atMs: number;
  /** Until this instant (exclusive): the next change of deciding rule, or the range's end. */
  untilMs: number;
  rule: string;
  replicas: number;
  detail: string;
}

/** Rules that move the agent for a reason the demand line doesn't show: protections and calendar steps. */
export const WHY_RULES: ReadonlySet<string> = new Set([...PROTECTION_RULES, 'calendar-step']);

export interface PolicyResult {
  name: PolicyName;
  label: string;
  score: Score;
  /** The schedule (replicas asked per step). */
  replicas: Int32Array;
  /** For hpa_headroom: the utilisation factor chosen (see `headroomPoint`). */
  factor?: number;
}

export interface WeekendRow {
  /** Saturday 00:00 UTC to Monday 00:00 UTC, clipped to the range. */
  fromMs: number;
  toMs: number;
  weddings: number;
  perPolicy: Partial<Record<PolicyName, { overloadMinutes: number; unservedRequests: number; replicaHours: number }>>;
}

export interface TargetReport {
  id: string;
  startMs: number;
  stepMs: number;
  steps: number;
  shape: ServiceShape;
  demand: Float64Array;
  policies: PolicyResult[];
  frontier: HpaFrontier;
  headline: HpaHeadline;
  weekends: WeekendRow[];
  gaps: { count: number; missingSteps: number; ranges: Array<[number, number]> };
  weddings: Array<{ title: string; startMs: number; endMs: number; protected: boolean }>;
  agentDetails: ReplaySummary['agent'];
  /** The replay's verdict: the agent against the HPA and the oracle, and which of the targets it met. */
  verdict: Pick<ReplaySummary, 'agentVsHpa' | 'agentVsOracle' | 'agentVsOracleWithHold' | 'targetsMet'> | null;
  clusterQuery: string | null;
  /** The replica-hour price every policy's replica-hours are priced at (unknown: costs are null, never 0). */
  price: ReplicaPrice;
  why: WhyMark[];
}

/**
 * The frontier point shown as "HPA with more headroom": the cheapest utilisation whose overload is at
 * most the agent's, else the lowest utilisation tried.
 */
export function headroomPoint(f: HpaFrontier, agentOverloadMinutes: number): number {
  const ok = f.points.filter((p) => p.score.overloadMinutes <= agentOverloadMinutes).sort((a, b) => a.score.replicaHours - b.score.replicaHours);
  return (ok[0] ?? f.points.reduce((lo, p) => (p.factor < lo.factor ? p : lo))).factor;
}

const DAY = 86_400_000;

function weekendRows(
  policies: PolicyResult[],
  demand: Float64Array,
  shape: ServiceShape,
  startMs: number,
  stepMs: number,
  weddings: TargetReport['weddings'],
): WeekendRow[] {
  const steps = demand.length;
  const endMs = startMs + steps * stepMs;
  const lag = startupSteps(shape);
  // Per policy: overload and shortfall per step, so a weekend's figures add up to the whole range's.
  const perStep = policies.map((p) => {
    const ready = readyReplicas(p.replicas, lag);
    return (k: number) => Math.max(0, demand[k] - ready[k] * shape.capacityPerPod);
  });
  const rows: WeekendRow[] = [];
  // The Saturday of the weekend the range starts in (yesterday when it starts on a Sunday), else the next one.
  const day0 = Math.floor(startMs / DAY) * DAY;
  const dow = new Date(day0).getUTCDay();
  const firstSat = dow === 0 ? day0 - DAY : day0 + (6 - dow) * DAY;
  for (let sat = firstSat; sat < endMs; sat += 7 * DAY) {
    const from = Math.max(startMs, sat);
    const to = Math.min(endMs, sat + 2 * DAY);
    if (to <= from) continue;
    const a = Math.round((from - startMs) / stepMs);
    const b = Math.round((to - startMs) / stepMs);
    const row: WeekendRow = { fromMs: from, toMs: to, weddings: weddings.filter((w) => w.startMs < to && w.endMs > from).length, perPolicy: {} };
    policies.forEach((p, i) => {
      let over = 0;
      let short = 0;
      let asked = 0;
      for (let k = a; k < b; k++) {
        const s = perStep[i](k);
        if (s > 1e-9) {
          over++;
          short += s;
        }
        asked += p.replicas[k];
      }
      row.perPolicy[p.name] = {
        overloadMinutes: (over * stepMs) / 60_000,
        unservedRequests: Math.round((short * stepMs) / 1000),
        replicaHours: Math.round(((asked * stepMs) / 3_600_000) * 10) / 10,
      };
    });
    rows.push(row);
  }
  return rows;
}

/** A rule that lets go for a few minutes and takes over again is one mark, not two. */
const MERGE_STEPS = 5;

function whyMarks(changes: readonly RuleChange[], startMs: number, stepMs: number, steps: number): WhyMark[] {
  const at = (step: number) => startMs + step * stepMs;
  const marks: Array<WhyMark & { untilStep: number }> = [];
  changes.forEach((c, i) => {
    if (!WHY_RULES.has(c.rule)) return;
    const untilStep = changes[i + 1]?.step ?? steps;
    const prev = marks.at(-1);
    if (prev && prev.rule === c.rule && c.step - prev.untilStep <= MERGE_STEPS) {
      prev.untilStep = untilStep;
      prev.untilMs = at(untilStep);
      return;
    }
    marks.push({ ...c, atMs: at(c.step), untilMs: at(untilStep), untilStep });
  });
  return marks.map(({ untilStep: _, ...m }) => m);
}

export function buildTargetReport(t: ReplayedTarget): TargetReport {
  const { trace } = t;
  const shape = shapeOf(trace);
  const demand = trace.demand;
  const score = (r: ArrayLike<number>) => scoreSchedule(r, demand, shape);
  const agentReplicas = Int32Array.from(t.agentReplicas);
  const frontier = hpaFrontier(demand, shape);
  const agentScore = score(agentReplicas);
  const factor = headroomPoint(frontier, agentScore.overloadMinutes);
  const policies: PolicyResult[] = [{ name: 'agent', label: POLICY_LABELS.agent, score: agentScore, replicas: agentReplicas }];
  if (t.cluster) {
    const ran = Int32Array.from(t.cluster.replicas, (v) => Math.round(v));
    policies.push({ name: 'cluster_ran', label: POLICY_LABELS.cluster_ran, score: score(ran), replicas: ran });
  }
  const hpa = hpaV2(demand, shape);
  const headroom = hpaV2(demand, { ...shape, targetUtilization: shape.targetUtilization * factor });
  const peak = staticPeak(demand, shape);
  const best = oracle(demand, shape);
  policies.push(
    { name: 'hpa_v2', label: POLICY_LABELS.hpa_v2, score: score(hpa), replicas: hpa },
    { name: 'hpa_headroom', label: `${POLICY_LABELS.hpa_headroom} (target utilisation × ${factor})`, score: score(headroom), replicas: headroom, factor },
    { name: 'static_peak', label: POLICY_LABELS.static_peak, score: score(peak), replicas: peak },
    { name: 'oracle', label: POLICY_LABELS.oracle, score: score(best), replicas: best },
  );
  const index = indexCalendar(trace.calendar, t.rules);
  const endMs = trace.startMs + demand.length * trace.stepMs;
  const weddings = protectionWindows(index, trace.startMs, endMs, t.timezones).map((w) => ({
    title: w.title,
    startMs: w.startMs,
    endMs: w.endMs,
    protected: w.saturdayProtection,
  }));
  const ranges = trace.missing ? missingRanges(trace.missing) : [];
  return {
    id: t.id,
    startMs: trace.startMs,
    stepMs: trace.stepMs,
    steps: demand.length,
    shape,
    demand,
    policies,
    frontier,
    headline: hpaHeadline(frontier, agentScore),
    weekends: weekendRows(policies, demand, shape, trace.startMs, trace.stepMs, weddings),
    gaps: { count: ranges.length, missingSteps: ranges.reduce((n, [a, b]) => n + b - a + 1, 0), ranges },
    weddings,
    agentDetails: t.summary.agent,
    verdict: t.summary.targetsMet
      ? {
          agentVsHpa: t.summary.agentVsHpa,
          agentVsOracle: t.summary.agentVsOracle,
          agentVsOracleWithHold: t.summary.agentVsOracleWithHold,
          targetsMet: t.summary.targetsMet,
        }
      : null,
    clusterQuery: t.cluster?.query ?? null,
    // A summary from before prices were kept has none: unknown.
    price: t.summary.price ?? { perReplicaHour: null, currency: 'USD', source: 'unknown', detail: 'no price in this replay' },
    why: whyMarks(t.ruleChanges ?? [], trace.startMs, trace.stepMs, demand.length),
  };
}

/** summary.json: the figures without the per-step arrays. */
export function summaryJson(reports: TargetReport[], meta: { source: string; fromMs: number; toMs: number; generatedAtMs: number }): unknown {
  return {
    source: meta.source,
    from: new Date(meta.fromMs).toISOString(),
    to: new Date(meta.toMs).toISOString(),
    generatedAt: new Date(meta.generatedAtMs).toISOString(),
    targets: reports.map((r) => ({
      id: r.id,
      minutes: (r.steps * r.stepMs) / 60_000,
      shape: r.shape,
      headline: r.headline,
      price: { currency: r.price.currency, perReplicaHour: r.price.perReplicaHour, source: r.price.source, detail: r.price.detail },
      policies: Object.fromEntries(
        r.policies.map((p) => [
          p.name,
          {
            ...p.score,
            cost: costOf(p.score.replicaHours, r.price),
            currency: r.price.currency,
            ...(p.factor !== undefined ? { utilizationFactor: p.factor } : {}),
          },
        ]),
      ),
      hpaFrontier: r.frontier.points.map((p) => ({ factor: p.factor, targetUtilization: Math.round(p.targetUtilization * 1000) / 1000, ...p.score })),
      hpaReplicaHoursToMatchAgent: hpaReplicaHoursForOverload(r.frontier, r.policies[0].score.overloadMinutes),
      weekends: r.weekends.map((w) => ({
        from: new Date(w.fromMs).toISOString(),
        to: new Date(w.toMs).toISOString(),
        weddings: w.weddings,
        policies: Object.fromEntries(
          Object.entries(w.perPolicy).map(([n, c]) => [n, { ...c, cost: costOf(c.replicaHours, r.price), currency: r.price.currency }]),
        ),
      })),
      gaps: {
        count: r.gaps.count,
        missingMinutes: (r.gaps.missingSteps * r.stepMs) / 60_000,
        ranges: r.gaps.ranges.map(([a, b]) => [new Date(r.startMs + a * r.stepMs).toISOString(), new Date(r.startMs + (b + 1) * r.stepMs).toISOString()]),
      },
      clusterRanQuery: r.clusterQuery,
      ...(r.verdict ? { ...r.verdict, targets: TARGETS } : {}),
      agent: r.agentDetails,
      why: r.why.map((w) => ({
        from: new Date(w.atMs).toISOString(),
        until: new Date(w.untilMs).toISOString(),
        rule: w.rule,
        replicas: w.replicas,
        detail: w.detail,
      })),
    })),
  };
}
