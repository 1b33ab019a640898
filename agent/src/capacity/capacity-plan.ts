/**
 * The capacity plan for a window (next weekend, by default): per target, the forecast peak, the pods it
 * needs and when, the nodes those pods take in the target's node pool, and what it costs; per cluster,
 * the nodes per pool at the busiest instant and the total. Pure: the demand projection, the calendar's
 * answers and the price come in as input (capacity/demand.ts and the price book make them).
 *
 * Pods per instant follow the planner's own sizing: load ÷ (capacity per pod × target utilisation),
 * + wedding headroom for wedding-critical targets while weddings are live, at least the (peak-season)
 * floor, within [minReplicas, maxReplicas]. Nodes: pods ÷ pods-per-node, where pods-per-node is what the
 * pool's allocatable holds of the pod's requests (cpu, memory and maxPods, whichever binds first), per
 * target and rounded up — an upper bound, since pods of different targets may share a node.
 */
import type { PlanPolicy, TargetConfig } from '../config/schema';
import type { ReplicaPrice } from '../plan/price';
import type { PodResources } from '../config/pricing-config';
import { replicasForTarget } from '../plan/draft';
import { calendarFloor } from '../plan/wedding-floors';

export interface DemandPoint {
  tMs: number;
  /** Forecast load (the target's load unit). */
  value: number;
  /** Weddings the target serves that are live then. */
  weddingsLive: number;
  peakSeason: boolean;
}

export interface TargetPlanInput {
  target: TargetConfig;
  /** At a regular step over [from, to). */
  demand: DemandPoint[];
  /** How the demand was projected (e.g. "seasonal+calendar", "calendar only"). */
  method: string;
  price: ReplicaPrice;
  /** One pod's requests (the workload spec, else target.cost.podRequests); needed for the node count. */
  podRequests?: PodResources;
}

export interface PodStep {
  from: number;
  to: number;
  pods: number;
}

export interface TargetPlan {
  target: string;
  method: string;
  peak: { load: number; at: number } | null;
  pods: {
    peak: number;
    /** First instant the peak count is needed, and when to ask for it (one pod start-up earlier). */
    neededAt: number | null;
    requestBy: number | null;
    /** Demand asked for more than maxReplicas at the peak: the plan is capped there. */
    cappedAtMax: boolean;
    wantedAtPeak: number;
    /** The count over the window, as steps (consecutive equal counts merged). */
    steps: PodStep[];
  };
  nodes: { pool: string; podsPerNode: number; peak: number; allocatable: PodResources } | { pool: null; reason: string };
  cost: {
    currency: string;
    perReplicaHour: number | null;
    /** At the peak count. */
    peakPerHour: number | null;
    replicaHours: number;
    /** Over the whole window. */
    window: number | null;
    source: ReplicaPrice['source'];
    detail: string;
  };
}

export interface PoolPlan {
  pool: string;
  /** Most nodes the pool needs at one instant, summed over its targets, and when. */
  peakNodes: number;
  at: number | null;
  targets: string[];
}

export interface CapacityPlan {
  cluster: string;
  from: number;
  to: number;
  stepMs: number;
  targets: TargetPlan[];
  pools: PoolPlan[];
  /** Summed over targets (peakPerHour: the busiest instant); null when any target's price is unknown (a partial sum would look complete). */
  cost: { currency: string; window: number | null; peakPerHour: number | null; unknownTargets: string[] };
}

/** Pods the target wants at one instant, before and after its bounds. */
export function podsFor(target: TargetConfig, policy: PlanPolicy, p: DemandPoint): { wanted: number; pods: number } {
  let pods = replicasForTarget(Math.max(0, p.value), target);
  if (target.weddingCritical && p.weddingsLive > 0) pods = Math.ceil(pods * (1 + policy.weddingHeadroom) - 1e-9);
  const wanted = Math.max(pods, calendarFloor(target, policy, p.peakSeason).replicas);
  return { wanted, pods: Math.min(target.maxReplicas, Math.max(target.minReplicas, wanted)) };
}

/** How many of these pods one node of the pool holds; 0 when not even one fits. */
export function podsPerNode(requests: PodResources, allocatable: PodResources, maxPods: number): number {
  return Math.min(Math.floor(allocatable.cpu / requests.cpu + 1e-9), Math.floor(allocatable.memoryGiB / requests.memoryGiB + 1e-9), maxPods);
}

export function planTarget(input: TargetPlanInput, policy: PlanPolicy, stepMs: number, toMs: number): { plan: TargetPlan; podsAt: number[] } {
  const { target, demand, price } = input;
  const podsAt: number[] = [];
  const steps: PodStep[] = [];
  let peak: TargetPlan['peak'] = null;
  let peakPods = -1;
  let wantedAtPeak = 0;
  let neededAt: number | null = null;
  let replicaHours = 0;
  demand.forEach((p, i) => {
    const { wanted, pods } = podsFor(target, policy, p);
    podsAt.push(pods);
    const end = Math.min(demand[i + 1]?.tMs ?? p.tMs + stepMs, toMs);
    replicaHours += (pods * Math.max(0, end - p.tMs)) / 3_600_000;
    const last = steps[steps.length - 1];
    if (last && last.pods === pods) last.to = end;
    else steps.push({ from: p.tMs, to: end, pods });
    if (!peak || p.value > peak.load) peak = { load: p.value, at: p.tMs };
    if (pods > peakPods) [peakPods, neededAt] = [pods, p.tMs];
    wantedAtPeak = Math.max(wantedAtPeak, wanted);
  });
  peakPods = Math.max(0, peakPods);
  const pool = target.cost?.nodePool;
  const requests = input.podRequests ?? target.cost?.podRequests;
  let nodes: TargetPlan['nodes'];
  if (!pool) nodes = { pool: null, reason: 'no cost.nodePool configured for this target' };
  else if (!requests) nodes = { pool: null, reason: 'pod requests unknown (the workload spec sets none and cost.podRequests is not set)' };
  else {
    const perNode = podsPerNode(requests, pool.allocatable, pool.maxPods);
    nodes =
      perNode < 1
        ? {
            pool: null,
            reason: `one pod (${requests.cpu} vCPU, ${requests.memoryGiB} GiB) does not fit a ${pool.name} node (${pool.allocatable.cpu} vCPU, ${pool.allocatable.memoryGiB} GiB allocatable)`,
          }
        : { pool: pool.name, podsPerNode: perNode, peak: Math.ceil(peakPods / perNode), allocatable: pool.allocatable };
  }
  const unit = price.perReplicaHour;
  const plan: TargetPlan = {
    target: target.id,
    method: input.method,
    peak,
    pods: {
      peak: peakPods,
      neededAt,
      requestBy: neededAt === null ? null : neededAt - target.podStartupSeconds * 1000,
      cappedAtMax: wantedAtPeak > target.maxReplicas,
      wantedAtPeak,
      steps,
    },
    nodes,
    cost: {
      currency: price.currency,
      perReplicaHour: unit,
      peakPerHour: unit === null ? null : unit * peakPods,
      replicaHours,
      window: unit === null ? null : unit * replicaHours,
      source: price.source,
      detail: price.detail,
    },
  };
  return { plan, podsAt };
}

export function planCapacity(input: {
  cluster: string;
  fromMs: number;
  toMs: number;
  stepMs: number;
  policy: PlanPolicy;
  currency: string;
  targets: TargetPlanInput[];
}): CapacityPlan {
  const planned = input.targets.map((t) => planTarget(t, input.policy, input.stepMs, input.toMs));
  const pools = new Map<string, { nodesAt: number[]; targets: string[]; times: number[] }>();
  planned.forEach(({ plan, podsAt }, i) => {
    if (plan.nodes.pool === null) return;
    const perNode = plan.nodes.podsPerNode;
    let p = pools.get(plan.nodes.pool);
    if (!p) pools.set(plan.nodes.pool, (p = { nodesAt: [], targets: [], times: input.targets[i].demand.map((d) => d.tMs) }));
    p.targets.push(plan.target);
    podsAt.forEach((pods, k) => (p.nodesAt[k] = (p.nodesAt[k] ?? 0) + Math.ceil(pods / perNode)));
  });
  const poolPlans: PoolPlan[] = [...pools].map(([pool, p]) => {
    let peakNodes = 0;
    let at: number | null = null;
    p.nodesAt.forEach((n, k) => {
      if (n > peakNodes) [peakNodes, at] = [n, p.times[k] ?? null];
    });
    return { pool, peakNodes, at, targets: p.targets };
  });
  const plans = planned.map((p) => p.plan);
  const unknownTargets = plans.filter((p) => p.cost.perReplicaHour === null).map((p) => p.target);
  const known = unknownTargets.length === 0;
  // The cluster's busiest hour: targets' peaks need not coincide, so the sum is taken instant by instant.
  let peakPerHour = 0;
  for (let k = 0; known && k < (planned[0]?.podsAt.length ?? 0); k++)
    peakPerHour = Math.max(
      peakPerHour,
      planned.reduce((s, p) => s + (p.podsAt[k] ?? 0) * p.plan.cost.perReplicaHour!, 0),
    );
  return {
    cluster: input.cluster,
    from: input.fromMs,
    to: input.toMs,
    stepMs: input.stepMs,
    targets: plans,
    pools: poolPlans,
    cost: {
      currency: input.currency,
      window: known ? plans.reduce((s, p) => s + p.cost.window!, 0) : null,
      peakPerHour: known ? peakPerHour : null,
      unknownTargets,
    },
  };
}
