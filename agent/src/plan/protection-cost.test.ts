/** A decision's reasons say what each protection costs per hour, from the price the pipeline passes in. */
import { indexCalendar } from '../calendar/rules';
import { targetCalendar } from '../calendar/target-calendar';
import { policySchema, targetSchema, weddingRulesSchema } from '../config/schema';
import { planReplicas } from './plan-replicas';
import { EMPTY_MEMORY, type Override, type PlanInput } from './types';

const SAT_LONDON = Date.parse('2027-06-05T14:30:00Z'); // a London wedding at 14:00 BST is live
const target = targetSchema.parse({
  id: 'web',
  kubernetes: { namespace: 'w', name: 'web' },
  load: { source: 'p', query: 'q' },
  capacityPerPod: 50,
  targetUtilization: 0.7,
  minReplicas: 2,
  maxReplicas: 40,
});
const calendar = indexCalendar(
  {
    weddings: [{ id: 'w1', title: 'W', start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London', days: 1, guests: 100, tradition: 'british', vendors: 3 }],
  },
  weddingRulesSchema.parse({}),
);
// No stabilisation and no step limit: the count before protection is the demand's (40 rps → 2 pods).
const policy = policySchema.parse({ peakSeasonPreScale: 0, scaleDownStabilizationSeconds: 0, maxScaleDownRatio: 1 });

const run = (price: PlanInput['price'], overrides: Override[] = [], current = 30) =>
  planReplicas(
    {
      target,
      currentReplicas: current,
      observed: 40,
      forecast: [],
      calendar: targetCalendar(calendar, target, SAT_LONDON),
      overrides,
      memory: { ...EMPTY_MEMORY, protectedPeak: current },
      price,
    },
    policy,
    SAT_LONDON,
  ).decision;

describe('protection costs in the reasons', () => {
  test('Saturday protection holding 28 pods above demand costs 28 × the replica-hour', () => {
    const d = run({ perReplicaHour: 0.05, currency: 'USD' });
    expect(d.desiredReplicas).toBe(30);
    const r = d.reasons.find((x) => x.rule === 'saturday-protection')!;
    expect(r.detail).toMatch(/; costs 1\.40 USD\/h \(\+28 replicas × 0\.0500 USD\)$/);
    // Demand rules carry no cost note: only protections are priced.
    expect(d.reasons.find((x) => x.rule === 'reactive')!.detail).not.toMatch(/costs/);
  });

  test('no price (unknown): the reasons stay as they were, never "costs 0"', () => {
    const d = run(undefined);
    expect(d.reasons.find((x) => x.rule === 'saturday-protection')!.detail).not.toMatch(/costs/);
  });

  test('only what survives the bounds is priced: a floor of 50 capped at maxReplicas 40', () => {
    const floor: Override = {
      id: 'o1',
      targetId: 'web',
      type: 'floor',
      replicas: 50,
      untilMs: SAT_LONDON + 3_600_000,
      untilWeddingEnds: false,
      reason: 'gala',
      author: 'ops',
      createdAtMs: 0,
    };
    const d = run({ perReplicaHour: 0.1, currency: 'EUR' }, [floor]);
    expect(d.desiredReplicas).toBe(40);
    expect(d.reasons.find((x) => x.rule === 'override-floor')!.detail).toMatch(/costs 1\.00 EUR\/h \(\+10 replicas × 0\.1000 EUR\)/);
  });
});
