import { policySchema, targetSchema, type TargetConfig } from '../config/schema';
import type { ReplicaPrice } from '../plan/price';
import { planCapacity, podsPerNode, type DemandPoint } from './capacity-plan';
import { planStepMs } from './build-plan';
import { comingWeekend } from './weekend';

const HOUR = 3_600_000;
const T0 = Date.parse('2027-06-05T00:00:00Z');
const policy = policySchema.parse({ peakSeasonPreScale: 0, weddingHeadroom: 0.2 });
const pool = { name: 'general', allocatable: { cpu: 3.9, memoryGiB: 14 } };
const target = (over: Record<string, unknown> = {}): TargetConfig =>
  targetSchema.parse({
    id: 'api',
    kubernetes: { namespace: 'w', name: 'api' },
    load: { source: 'p', query: 'q' },
    capacityPerPod: 50,
    targetUtilization: 0.7, // 35 per pod
    minReplicas: 2,
    maxReplicas: 40,
    podStartupSeconds: 180,
    cost: { podRequests: { cpu: 1, memoryGiB: 2 }, nodePool: pool },
    ...over,
  });
const price = (perReplicaHour: number | null): ReplicaPrice => ({
  perReplicaHour,
  currency: 'USD',
  source: perReplicaHour === null ? 'unknown' : 'table',
  detail: 'test',
});
const demand = (values: number[], live: (k: number) => number = () => 0): DemandPoint[] =>
  values.map((value, k) => ({ tMs: T0 + k * HOUR, value, weddingsLive: live(k), peakSeason: false }));

describe('capacity plan (pure)', () => {
  test('pods per node: whichever of cpu, memory and maxPods binds first', () => {
    expect(podsPerNode({ cpu: 1, memoryGiB: 2 }, { cpu: 3.9, memoryGiB: 14 }, 110)).toBe(3);
    expect(podsPerNode({ cpu: 0.25, memoryGiB: 4 }, { cpu: 3.9, memoryGiB: 14 }, 110)).toBe(3);
    expect(podsPerNode({ cpu: 0.01, memoryGiB: 0.01 }, { cpu: 3.9, memoryGiB: 14 }, 20)).toBe(20);
    expect(podsPerNode({ cpu: 8, memoryGiB: 1 }, { cpu: 3.9, memoryGiB: 14 }, 110)).toBe(0);
  });

  test('peak, pods and when, nodes, cost; capped at maxReplicas and said so', () => {
    const plan = planCapacity({
      cluster: 'eu-1',
      fromMs: T0,
      toMs: T0 + 5 * HOUR,
      stepMs: HOUR,
      policy,
      currency: 'USD',
      targets: [{ target: target(), demand: demand([35, 350, 1750, 700, 70]), method: 'test', price: price(0.05) }],
    });
    const t = plan.targets[0];
    expect(t.peak).toEqual({ load: 1750, at: T0 + 2 * HOUR });
    // 1750 / 35 = 50 pods wanted, 40 allowed.
    expect(t.pods).toMatchObject({ peak: 40, neededAt: T0 + 2 * HOUR, requestBy: T0 + 2 * HOUR - 180_000, cappedAtMax: true, wantedAtPeak: 50 });
    expect(t.pods.steps.map((s) => s.pods)).toEqual([2, 10, 40, 20, 2]);
    expect(t.nodes).toEqual({ pool: 'general', podsPerNode: 3, peak: 14, allocatable: pool.allocatable });
    expect(t.cost.replicaHours).toBe(2 + 10 + 40 + 20 + 2);
    expect(t.cost.window).toBeCloseTo(74 * 0.05, 10);
    expect(t.cost.peakPerHour).toBeCloseTo(2, 10);
    expect(plan.pools).toEqual([{ pool: 'general', peakNodes: 14, at: T0 + 2 * HOUR, targets: ['api'] }]);
    expect(plan.cost.window).toBeCloseTo(3.7, 10);
  });

  test('wedding headroom while weddings are live, for wedding-critical targets only', () => {
    const run = (critical: boolean) =>
      planCapacity({
        cluster: 'c',
        fromMs: T0,
        toMs: T0 + HOUR,
        stepMs: HOUR,
        policy,
        currency: 'USD',
        targets: [{ target: target({ weddingCritical: critical }), demand: demand([350], () => 2), method: 'test', price: price(0.05) }],
      }).targets[0].pods.peak;
    expect(run(false)).toBe(10);
    expect(run(true)).toBe(12);
  });

  test('a pool shared by two targets: nodes summed at the busiest instant, not the sum of each peak', () => {
    const a = { target: target(), demand: demand([350, 35]), method: 't', price: price(0.05) };
    const b = { target: target({ id: 'photos' }), demand: demand([35, 350]), method: 't', price: price(0.1) };
    const plan = planCapacity({ cluster: 'c', fromMs: T0, toMs: T0 + 2 * HOUR, stepMs: HOUR, policy, currency: 'USD', targets: [a, b] });
    // Each instant: ceil(10/3) + ceil(2/3) = 5 nodes; the sum of peaks would say 8.
    expect(plan.pools).toEqual([{ pool: 'general', peakNodes: 5, at: T0, targets: ['api', 'photos'] }]);
    // Busiest hour: 10 × 0.05 + 2 × 0.1 = 0.7 vs 2 × 0.05 + 10 × 0.1 = 1.1.
    expect(plan.cost.peakPerHour).toBeCloseTo(1.1, 10);
  });

  test('unknown price or pool: said, never 0', () => {
    const plan = planCapacity({
      cluster: 'c',
      fromMs: T0,
      toMs: T0 + HOUR,
      stepMs: HOUR,
      policy,
      currency: 'USD',
      targets: [
        { target: target(), demand: demand([350]), method: 't', price: price(0.05) },
        { target: target({ id: 'x', cost: { podRequests: { cpu: 1, memoryGiB: 1 } } }), demand: demand([350]), method: 't', price: price(null) },
      ],
    });
    expect(plan.targets[1].cost).toMatchObject({ perReplicaHour: null, window: null, peakPerHour: null, source: 'unknown' });
    expect(plan.targets[1].nodes).toEqual({ pool: null, reason: 'no cost.nodePool configured for this target' });
    expect(plan.cost).toMatchObject({ window: null, peakPerHour: null, unknownTargets: ['x'] });
  });

  test('the step stays near 2,000 points per target', () => {
    expect(planStepMs(T0, T0 + 2 * 24 * HOUR)).toBe(5 * 60_000);
    expect(planStepMs(T0, T0 + 14 * 24 * HOUR)).toBe(15 * 60_000);
  });
});

describe('the coming weekend', () => {
  test('from a Wednesday: Saturday 00:00 to Monday 00:00 in the zone', () => {
    const w = comingWeekend(Date.parse('2027-06-02T10:00:00Z'), 'Europe/London');
    expect(new Date(w.fromMs).toISOString()).toBe('2027-06-04T23:00:00.000Z');
    expect(new Date(w.toMs).toISOString()).toBe('2027-06-06T23:00:00.000Z');
  });

  test('during the weekend: from now to Monday', () => {
    const now = Date.parse('2027-06-05T14:00:00Z');
    expect(comingWeekend(now, 'UTC')).toEqual({ fromMs: now, toMs: Date.parse('2027-06-07T00:00:00Z') });
  });
});
