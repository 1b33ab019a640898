import { HPA_HEADROOM_FACTORS, hpaAtReplicaHours, hpaFrontier, hpaHeadline, hpaReplicaHoursForOverload, type HpaFrontier } from './hpa-frontier';
import { hpaV2, type ServiceShape } from './reference-policies';
import { scoreSchedule, type Score } from './score';
import { syntheticDemand } from '../../test-support/synthetic-trace';

const S: ServiceShape = { capacityPerPod: 50, podStartupSeconds: 180, stepSeconds: 60, targetUtilization: 0.7, minReplicas: 2, maxReplicas: 100 };
const demand = syntheticDemand(2 * 1440, Date.parse('2027-06-04T00:00:00Z'), 11 * 60);

/** A hand-made frontier, so interpolation is checked on round numbers. */
const score = (replicaHours: number, overloadMinutes: number, unservedRequests: number): Score => ({
  replicaHours,
  overloadMinutes,
  unservedRequests,
  peakReplicas: 0,
});
const handMade: HpaFrontier = {
  points: [
    { factor: 1, targetUtilization: 0.7, score: score(100, 40, 4000) },
    { factor: 0.9, targetUtilization: 0.63, score: score(120, 20, 2000) },
    { factor: 0.8, targetUtilization: 0.56, score: score(140, 22, 1000) }, // worse overload than a cheaper point
    { factor: 0.7, targetUtilization: 0.49, score: score(160, 0, 0) },
  ],
};

describe('HPA with more headroom (frontier)', () => {
  test('factors run 1.0, 0.95, …, 0.3', () => {
    expect(HPA_HEADROOM_FACTORS).toHaveLength(15);
    expect(HPA_HEADROOM_FACTORS[0]).toBe(1);
    expect(HPA_HEADROOM_FACTORS[1]).toBe(0.95);
    expect(HPA_HEADROOM_FACTORS[14]).toBe(0.3);
  });

  test("the first point is exactly the target's own HPA v2; lower utilisation costs more and overloads less", () => {
    const f = hpaFrontier(demand, S);
    expect(f.points.map((p) => p.factor)).toEqual([...HPA_HEADROOM_FACTORS]);
    expect(f.points[0].score).toEqual(scoreSchedule(hpaV2(demand, S), demand, S));
    const first = f.points[0].score;
    const last = f.points[f.points.length - 1].score;
    expect(f.points[f.points.length - 1].targetUtilization).toBeCloseTo(0.21, 10);
    expect(last.replicaHours).toBeGreaterThan(first.replicaHours * 2);
    expect(last.overloadMinutes).toBeLessThan(first.overloadMinutes);
    expect(last.unservedRequests).toBeLessThan(first.unservedRequests);
  });

  test('refuses factors outside (0, 1]', () => {
    expect(() => hpaFrontier(demand, S, { factors: [1, 1.2] })).toThrow('factor 1.2');
    expect(() => hpaFrontier(demand, S, { factors: [] })).toThrow('no factors');
  });

  test.each([
    [100, 40, 4000, null],
    [110, 30, 3000, null],
    [130, 20, 1500, null], // the 140 point's 22 is never better than 20: the running minimum holds
    [150, 10, 500, null],
    [90, 40, 4000, 'below'],
    [200, 0, 0, 'above'],
  ])('at %p replica-hours the HPA has %p overload minutes and %p unserved requests', (rh, over, unserved, outside) => {
    expect(hpaAtReplicaHours(handMade, rh)).toEqual({ overloadMinutes: over, unservedRequests: unserved, outside });
  });

  test.each([
    [40, 100],
    [50, 100],
    [30, 110],
    [10, 150],
    [0, 160],
  ])('matching %p overload minutes takes %p replica-hours', (over, rh) => {
    expect(hpaReplicaHoursForOverload(handMade, over)).toBe(rh);
  });

  test("no setting matching an overload below the frontier's gives null", () => {
    const f: HpaFrontier = { points: handMade.points.slice(0, 2) };
    expect(hpaReplicaHoursForOverload(f, 5)).toBeNull();
  });

  test("headline: X % more replica-hours when the HPA can match, else its overload at the agent's cost", () => {
    const h = hpaHeadline(handMade, { overloadMinutes: 10, replicaHours: 120 });
    expect(h.hpaReplicaHoursToMatch).toBe(150);
    expect(h.extraReplicaHoursPercent).toBe(25);
    expect(h.atAgentReplicaHours.overloadMinutes).toBe(20);
    expect(h.text).toBe(
      "To match the agent's overload the HPA alone needs 25 % more replica-hours; at the agent's replica-hours the HPA alone has 20 overload minutes (the agent: 10).",
    );

    const short: HpaFrontier = { points: handMade.points.slice(0, 2) };
    const n = hpaHeadline(short, { overloadMinutes: 5, replicaHours: 110 });
    expect(n.extraReplicaHoursPercent).toBeNull();
    expect(n.text).toMatch(
      /^No HPA target utilisation down to 90 % of the target's matches the agent's overload; at the agent's replica-hours the HPA alone has 30 overload minutes/,
    );

    const cheaper = hpaHeadline(handMade, { overloadMinutes: 40, replicaHours: 125 });
    expect(cheaper.extraReplicaHoursPercent).toBe(-20);
    expect(cheaper.text).toMatch(/^The HPA alone matches the agent's overload with 20 % fewer replica-hours/);
  });
});
