/** GET /capacity-plan (viewer): next weekend's pods, nodes and cost (capacity/build-plan.ts). */
import type { Router } from 'express';
import type { AgentConfig } from '../config/agent-config';
import { policySchema } from '../config/schema';
import { buildCapacityPlan, type CapacityPlanDeps } from '../capacity/build-plan';
import type { CapacityPlan } from '../capacity/capacity-plan';
import { stateProjector } from '../capacity/demand';
import { comingWeekend } from '../capacity/weekend';
import { PriceBook } from '../cost/price-book';
import { requireRole } from './auth';
import type { CapacityPlanDto } from './contract';
import { parse, type RouteContext } from './context';
import { iso } from './dto';
import { HttpError } from './errors';
import { capacityPlanQuerySchema } from './schemas';

const DAY_MS = 86_400_000;
export const MAX_PLAN_WINDOW_MS = 14 * DAY_MS;
/** How far ahead a plan may start: beyond a few weeks the seasonal forecast is a guess. */
export const MAX_PLAN_LEAD_MS = 60 * DAY_MS;

/** What the route plans with; without it (a bare API over a state) the state alone is used. */
export type CapacityPlanning = Omit<CapacityPlanDeps, 'state'>;

export function registerCapacityRoutes(r: Router, ctx: RouteContext, planning: CapacityPlanning | undefined, agentConfig: AgentConfig | undefined): void {
  const { state, clock } = ctx;
  const deps: CapacityPlanDeps = {
    state,
    ...(planning ?? {
      config: { policy: agentConfig?.policy ?? policySchema.parse({}), agent: agentConfig?.agent ?? ({ cluster: state.info.cluster } as AgentConfig['agent']) },
      prices: new PriceBook(agentConfig?.pricing, clock),
      project: stateProjector(() => state.calendar),
    }),
  };
  r.get('/capacity-plan', requireRole('viewer'), (req, res) => {
    const q = parse(capacityPlanQuerySchema, req.query, 'query');
    const now = clock();
    const weekend = comingWeekend(now, state.calendar.rules.peakSeason.timezone);
    const fromMs = q.from ? Date.parse(q.from) : weekend.fromMs;
    const toMs = q.to ? Date.parse(q.to) : q.from ? fromMs + 2 * DAY_MS : weekend.toMs;
    const bad = (field: 'from' | 'to', reason: string) => new HttpError(400, `invalid query: ${field}: ${reason}`, [{ field: `query.${field}`, reason }]);
    if (!(toMs > fromMs)) throw bad('to', 'must be after from');
    if (toMs - fromMs > MAX_PLAN_WINDOW_MS) throw bad('to', 'the window may span at most 14 days');
    if (toMs <= now) throw bad('to', 'the window has passed (a plan is for the future)');
    if (fromMs - now > MAX_PLAN_LEAD_MS) throw bad('from', 'may be at most 60 days ahead');
    res.json(capacityPlanDto(buildCapacityPlan(deps, fromMs, toMs, now)));
  });
}

export function capacityPlanDto(p: CapacityPlan & { missingPoints: Record<string, number> }): CapacityPlanDto {
  const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
  return {
    cluster: p.cluster,
    from: iso(p.from),
    to: iso(p.to),
    stepSeconds: p.stepMs / 1000,
    targets: p.targets.map((t) => ({
      target: t.target,
      method: t.method,
      peak: t.peak ? { load: t.peak.load, at: iso(t.peak.at) } : null,
      pods: {
        ...t.pods,
        neededAt: isoOrNull(t.pods.neededAt),
        requestBy: isoOrNull(t.pods.requestBy),
        steps: t.pods.steps.map((s) => ({ from: iso(s.from), to: iso(s.to), pods: s.pods })),
      },
      nodes: t.nodes,
      cost: t.cost,
      missingPoints: p.missingPoints[t.target] ?? 0,
    })),
    pools: p.pools.map((x) => ({ ...x, at: isoOrNull(x.at) })),
    cost: p.cost,
  };
}
