/**
 * What the user cares about, and how a candidate is picked on the tuning part:
 * - default: the cheapest whose overload minutes and unserved requests are no worse than the defaults',
 *   both on the tuning part as it was and with its demand × STRESS_FACTOR (a cheaper candidate that only
 *   trims slack the tuning part happened not to need is not trusted with the later part);
 * - `--goal "overload<=0.1*hpa"` (conditions joined by `,`): the cheapest meeting every condition;
 *   metrics overload | unserved | cost (replica-hours); a limit is a number, or a multiple of
 *   hpa | oracle | defaults;
 * - `--budget 1.1x-oracle`: the least overload (then unserved) costing at most that (× hpa | oracle | defaults).
 * When nothing qualifies, the nearest candidate is named and the goal is reported unmet.
 */
import type { Score } from '../replay/score';

export type Metric = 'overload' | 'unserved' | 'cost';
export type Reference = 'hpa' | 'oracle' | 'defaults';

export interface Condition {
  metric: Metric;
  factor: number;
  ref: Reference | null;
}

export type Objective =
  { kind: 'defaults' } | { kind: 'goal'; text: string; conditions: Condition[] } | { kind: 'budget'; text: string; factor: number; ref: Reference };

export class ObjectiveError extends Error {}

const METRICS: Record<string, Metric> = { overload: 'overload', unserved: 'unserved', cost: 'cost', 'replica-hours': 'cost' };
const REFS: readonly Reference[] = ['hpa', 'oracle', 'defaults'];

export function parseObjective(goal: string | undefined, budget: string | undefined): Objective {
  if (goal !== undefined && budget !== undefined) throw new ObjectiveError('give --goal or --budget, not both');
  if (budget !== undefined) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*x\s*-\s*(hpa|oracle|defaults)\s*$/i.exec(budget);
    if (!m) throw new ObjectiveError(`--budget "${budget}": expected FACTORx-REFERENCE, e.g. 1.1x-oracle (references: ${REFS.join(', ')})`);
    return { kind: 'budget', text: budget, factor: Number(m[1]), ref: m[2].toLowerCase() as Reference };
  }
  if (goal === undefined) return { kind: 'defaults' };
  const conditions = goal.split(',').map((part) => {
    const m = /^\s*([a-z-]+)\s*<=\s*(\d+(?:\.\d+)?)\s*(?:\*\s*([a-z]+))?\s*$/i.exec(part);
    const metric = m && METRICS[m[1].toLowerCase()];
    const ref = m?.[3]?.toLowerCase();
    if (!m || !metric || (ref !== undefined && !REFS.includes(ref as Reference)))
      throw new ObjectiveError(
        `--goal "${part.trim()}": expected METRIC<=NUMBER or METRIC<=FACTOR*REFERENCE, e.g. overload<=0.1*hpa (metrics: overload, unserved, cost; references: ${REFS.join(', ')})`,
      );
    return { metric, factor: Number(m[2]), ref: (ref as Reference | undefined) ?? null };
  });
  return { kind: 'goal', text: goal, conditions };
}

export interface References {
  hpa: Score;
  oracle: Score;
  defaults: Score;
}

const value = (s: Score, metric: Metric) => (metric === 'overload' ? s.overloadMinutes : metric === 'unserved' ? s.unservedRequests : s.replicaHours);

/** The limit a condition sets, given the references' scores. */
export function limitOf(c: Condition, refs: References): number {
  return c.ref === null ? c.factor : c.factor * value(refs[c.ref], c.metric);
}

export interface Choice {
  index: number;
  met: boolean;
  /** Why, in one line (the nearest point when unmet). */
  detail: string;
}

const cheaper = (a: Score, b: Score) => a.replicaHours - b.replicaHours || a.overloadMinutes - b.overloadMinutes || a.unservedRequests - b.unservedRequests;
const safer = (a: Score, b: Score) => a.overloadMinutes - b.overloadMinutes || a.unservedRequests - b.unservedRequests || a.replicaHours - b.replicaHours;

/**
 * The default objective's margin: the demand a candidate must also handle no worse than the defaults.
 * Measured on the shared traces (BENCHMARKS.md "Tune"): at × 1.05 and × 1.1, off-season-4w's pick tied
 * the defaults on the tuning part, 5 % cheaper, and lost 9,000 more requests than they did on the later part.
 */
export const STRESS_FACTOR = 1.2;

const noWorse = (s: Score, d: Score) => s.overloadMinutes <= d.overloadMinutes && s.unservedRequests <= d.unservedRequests;

/**
 * Picks among candidate scores (index 0 = the defaults), by the objective; ties go to the lower index.
 * `stressed`: the same candidates scored against the tuning part's demand × STRESS_FACTOR (default objective).
 */
export function choose(objective: Objective, scores: readonly Score[], refs: References, stressed?: readonly Score[]): Choice {
  const best = (ok: (s: Score, i: number) => boolean, order: (a: Score, b: Score) => number): number => {
    let pick = -1;
    scores.forEach((s, i) => {
      if (ok(s, i) && (pick < 0 || order(s, scores[pick]) < 0)) pick = i;
    });
    return pick;
  };
  if (objective.kind === 'defaults') {
    const d = refs.defaults;
    const i = best((s, k) => noWorse(s, d) && (!stressed || noWorse(stressed[k], stressed[0])), cheaper);
    // The defaults always qualify: when nothing else does, or nothing else is cheaper, they are kept, and the report says so.
    if (i === 0)
      return {
        index: 0,
        met: true,
        detail: `the defaults are kept: no candidate was cheaper with overload and unserved demand no worse than theirs${stressed ? ` (also with ${STRESS_FACTOR}× the demand)` : ''}`,
      };
    return {
      index: i,
      met: true,
      detail: `the cheapest settings whose overload and unserved demand are no worse than the defaults${stressed ? ` (also with ${STRESS_FACTOR}× the demand)` : ''}`,
    };
  }
  if (objective.kind === 'budget') {
    const limit = objective.factor * refs[objective.ref].replicaHours;
    const i = best((s) => s.replicaHours <= limit, safer);
    if (i >= 0) return { index: i, met: true, detail: `the least overload within ${limit.toFixed(1)} replica-hours (${objective.text})` };
    const nearest = best(() => true, cheaper);
    return {
      index: nearest,
      met: false,
      detail: `no candidate costs at most ${limit.toFixed(1)} replica-hours (${objective.text}); the cheapest costs ${scores[nearest].replicaHours}`,
    };
  }
  const conditions = objective.conditions.map((c) => ({ c, limit: limitOf(c, refs) }));
  const meets = (s: Score) => conditions.every(({ c, limit }) => value(s, c.metric) <= limit);
  const i = best(meets, cheaper);
  if (i >= 0) return { index: i, met: true, detail: `the cheapest settings meeting ${objective.text}` };
  // Nearest: the smallest worst excess over a limit (as a share of the limit; an excess over 0 counts as its size).
  const excess = (s: Score) => Math.max(...conditions.map(({ c, limit }) => (value(s, c.metric) - limit) / Math.max(limit, 1)));
  let nearest = 0;
  scores.forEach((s, k) => {
    if (excess(s) < excess(scores[nearest])) nearest = k;
  });
  const s = scores[nearest];
  const what = conditions.map(({ c, limit }) => `${c.metric} ${value(s, c.metric)} (limit ${Math.round(limit * 10) / 10})`).join(', ');
  return { index: nearest, met: false, detail: `no candidate meets ${objective.text}; nearest: ${what}` };
}
