/**
 * Builds the capacity plan from what the agent knows: its targets' projected load (a LoadProjector), the
 * calendar, the policy and the price book. No I/O; the API route and the CLI both call it.
 */
import type { AgentConfig } from '../config/agent-config';
import type { PriceBook } from '../cost/price-book';
import type { AgentState } from '../state';
import { planCapacity, type CapacityPlan } from './capacity-plan';
import { demandPoints, type LoadProjector } from './demand';

const MINUTE = 60_000;

/** 5-minute steps, coarser for long windows so a plan stays near 2,000 points per target. */
export function planStepMs(fromMs: number, toMs: number): number {
  return Math.max(5, Math.ceil((toMs - fromMs) / MINUTE / 2000 / 5) * 5) * MINUTE;
}

export interface CapacityPlanDeps {
  state: AgentState;
  config: Pick<AgentConfig, 'policy' | 'agent'>;
  prices: PriceBook;
  project: LoadProjector;
}

export function buildCapacityPlan(
  deps: CapacityPlanDeps,
  fromMs: number,
  toMs: number,
  nowMs: number,
): CapacityPlan & { missingPoints: Record<string, number> } {
  const { state, prices } = deps;
  // The past is not planned: a window that began is planned from now on.
  const start = Math.max(fromMs, nowMs);
  const stepMs = planStepMs(start, toMs);
  const n = Math.max(0, Math.ceil((toMs - start) / stepMs));
  const missingPoints: Record<string, number> = {};
  const targets = [...state.targets.values()].map((t) => {
    const { values, method } = deps.project(t, nowMs, start, stepMs, n);
    const { points, missing } = demandPoints(state.calendar, t, start, stepMs, values);
    if (missing) missingPoints[t.config.id] = missing;
    return { target: t.config, demand: points, method, price: prices.price(t.config, t.workload?.podRequests), podRequests: t.workload?.podRequests };
  });
  return {
    ...planCapacity({ cluster: state.info.cluster, fromMs: start, toMs, stepMs, policy: deps.config.policy, currency: prices.currency, targets }),
    missingPoints,
  };
}
