/**
 * The scale decisions the panel has seen (GET /status's lastDecision, the stream's decision events), per
 * target, for the chart: one point per decision that changed the replica count, with the planner's
 * reason. Pure; bounded so a panel left open for days stays small.
 */
import type { DecisionDto, Reason } from '../types';

export const MAX_DECISIONS = 200;

/**
 * The reason that brought the count to what was decided: of the reasons at the end that all say the final
 * count (later checks such as bounds repeat it), the first. Without such a run, the last reason saying it.
 */
export function decidingReason(d: DecisionDto): Reason | null {
  const rs = d.reasons;
  let i = rs.length;
  while (i > 0 && rs[i - 1].replicas === d.desiredReplicas) {
    i--;
  }
  if (i < rs.length) {
    return rs[i];
  }
  const saying = rs.filter((r) => r.replicas === d.desiredReplicas);
  return saying[saying.length - 1] ?? rs[rs.length - 1] ?? null;
}

/** "12 → 39 replicas: saturday-protection (1 wedding(s) live …)". */
export function describeDecision(d: DecisionDto): string {
  const r = decidingReason(d);
  return `${d.currentReplicas} → ${d.desiredReplicas} replicas${r ? `: ${r.rule} (${r.detail})` : ''}`;
}

/** The log with `d` added when it is a scale event (wanted ≠ now) newer than the last one kept. */
export function recordDecision(log: readonly DecisionDto[], d: DecisionDto | null | undefined): readonly DecisionDto[] {
  if (!d || d.desiredReplicas === d.currentReplicas) {
    return log;
  }
  const t = Date.parse(d.at);
  if (!Number.isFinite(t)) {
    return log;
  }
  const last = log[log.length - 1];
  if (last && Date.parse(last.at) >= t) {
    return log;
  }
  return [...log, d].slice(-MAX_DECISIONS);
}
