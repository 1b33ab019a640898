import { evaluateConditions, type ConditionMemory, type ConditionOptions } from './conditions';
import { CONDITION_KINDS, PAGE_DEFINITIONS, pageSeverity } from './definitions';
import { fixtureState, FRIDAY_4PM, kubernetesDown, MINUTE, SATURDAY_4PM, sourceDown } from '../sinks/__fixtures__/condition-fixtures';
import type { TargetState } from '../state';

const opts: ConditionOptions = {
  cluster: 'test',
  unreachableAfterMs: 2 * MINUTE,
  overloadUtilization: 1,
  overloadedAfterMs: 2 * MINUTE,
  scaleBlockedAfterMs: MINUTE,
};
/** Tuesday 16 June 2026, 16:00 in London: no wedding anywhere. */
const TUESDAY_4PM = Date.parse('2026-06-16T15:00:00Z');

/** The leader's scale write was refused this tick: fresh decision, workload elsewhere, an error. */
const writeRefused = (t: TargetState) => {
  t.lastScaleError = 'HTTP-Code: 403 Forbidden: cannot patch deployments/scale';
  t.decision = { ...t.decision!, desiredReplicas: 6 };
};
const pinned =
  (util: number, replicas = 10) =>
  (t: TargetState, now: number) => {
    t.workload = { replicas, readyReplicas: replicas };
    t.observed = { value: util * 10 * replicas, atMs: now };
  };

/** Runs the evaluator every 15 s for `forMs` with the fault applied; returns the last answer. */
function hold(start: number, forMs: number, fault: (s: ReturnType<typeof fixtureState>, now: number) => void) {
  let memory: ConditionMemory = {};
  let result = evaluateConditions(fixtureState(start), opts, start, memory);
  for (let now = start; now <= start + forMs; now += 15_000) {
    const state = fixtureState(now);
    fault(state, now);
    result = evaluateConditions(state, opts, now, memory);
    memory = result.memory;
  }
  return result;
}

describe('page definitions', () => {
  test('each kind names its subject, its alert rule and its duration key', () => {
    expect(CONDITION_KINDS.sort()).toEqual([
      'break-glass-during-freeze',
      'kubernetes-unreachable',
      'load-source-unreachable',
      'peer-cluster-lost',
      'pinned-at-max-overloaded',
      'scale-blocked',
    ]);
    expect(Object.values(PAGE_DEFINITIONS).map((d) => [d.kind, d.subject, d.alert, d.duration])).toEqual([
      ['pinned-at-max-overloaded', 'target', 'WedSyncAtMaxReplicasOverloaded', 'overloadedAfterSeconds'],
      ['scale-blocked', 'target', 'WedSyncScalingFailed', 'scaleBlockedAfterSeconds'],
      ['kubernetes-unreachable', 'cluster', 'WedSyncKubernetesUnreachable', 'unreachableAfterSeconds'],
      ['load-source-unreachable', 'source', 'WedSyncMetricsStale', 'unreachableAfterSeconds'],
      ['peer-cluster-lost', 'peer', 'WedSyncPeerClusterLost', 'peerLostAfterSeconds'],
      ['break-glass-during-freeze', 'change', 'WedSyncBreakGlass', null],
    ]);
  });

  test.each([
    [true, true, 'critical'],
    [true, false, 'error'],
    [false, true, 'warning'],
    [false, false, 'warning'],
  ] as const)('wedding day %s, wedding-critical %s → %s', (day, critical, severity) => {
    expect(pageSeverity(day, critical)).toBe(severity);
  });
});

describe('evaluateConditions', () => {
  test('a healthy agent has nothing to page about and remembers nothing', () => {
    expect(evaluateConditions(fixtureState(SATURDAY_4PM), opts, SATURDAY_4PM, {})).toEqual({ conditions: [], memory: {}, undetermined: [] });
  });

  // [name, instant, fault, how long it holds, expected [dedup key, severity, wedding day] or nothing]
  const cases: [string, number, (s: ReturnType<typeof fixtureState>, now: number) => void, number, [string, string, boolean][]][] = [
    [
      'pinned at max at 120 % for 2 min, Saturday, wedding-critical',
      SATURDAY_4PM,
      (s, n) => pinned(1.2)(s.targets.get('checkout')!, n),
      2 * MINUTE,
      [['wedsync/test/pinned-at-max-overloaded/checkout', 'critical', true]],
    ],
    [
      'pinned at max, Saturday, not wedding-critical',
      SATURDAY_4PM,
      (s, n) => pinned(1.2)(s.targets.get('gallery')!, n),
      2 * MINUTE,
      [['wedsync/test/pinned-at-max-overloaded/gallery', 'error', true]],
    ],
    [
      'pinned at max on a Tuesday: low urgency',
      TUESDAY_4PM,
      (s, n) => pinned(1.2)(s.targets.get('checkout')!, n),
      2 * MINUTE,
      [['wedsync/test/pinned-at-max-overloaded/checkout', 'warning', false]],
    ],
    ['pinned at max, not yet for 2 min', SATURDAY_4PM, (s, n) => pinned(1.2)(s.targets.get('checkout')!, n), 1.5 * MINUTE, []],
    ['at max but at 95 %', SATURDAY_4PM, (s, n) => pinned(0.95)(s.targets.get('checkout')!, n), 10 * MINUTE, []],
    ['overloaded below maxReplicas', SATURDAY_4PM, (s, n) => pinned(1.5, 9)(s.targets.get('checkout')!, n), 10 * MINUTE, []],
    [
      'scale write refused for 1 min, Saturday',
      SATURDAY_4PM,
      (s) => writeRefused(s.targets.get('checkout')!),
      MINUTE,
      [['wedsync/test/scale-blocked/checkout', 'critical', true]],
    ],
    [
      'scale write refused, Friday wedding live (not critical target)',
      FRIDAY_4PM,
      (s) => writeRefused(s.targets.get('gallery')!),
      MINUTE,
      [['wedsync/test/scale-blocked/gallery', 'error', true]],
    ],
    ['scale write refused for 45 s', SATURDAY_4PM, (s) => writeRefused(s.targets.get('checkout')!), 45_000, []],
    [
      'workload reads fail for 2 min: one page for the cluster, not one per target',
      SATURDAY_4PM,
      (s, n) => s.targets.forEach((t) => kubernetesDown(t, n)),
      2 * MINUTE,
      [['wedsync/test/kubernetes-unreachable/cluster', 'critical', true]],
    ],
    ['workload reads fail for 1.5 min', SATURDAY_4PM, (s, n) => s.targets.forEach((t) => kubernetesDown(t, n)), 1.5 * MINUTE, []],
    [
      'two load sources down: one page per source, severity by the targets reading it',
      SATURDAY_4PM,
      (s, n) => s.targets.forEach((t) => sourceDown(t, n)),
      2 * MINUTE,
      [
        ['wedsync/test/load-source-unreachable/prom', 'critical', true],
        ['wedsync/test/load-source-unreachable/prom-media', 'error', true],
      ],
    ],
    [
      'a load source down on a Tuesday: low urgency',
      TUESDAY_4PM,
      (s, n) => sourceDown(s.targets.get('gallery')!, n),
      2 * MINUTE,
      [['wedsync/test/load-source-unreachable/prom-media', 'warning', false]],
    ],
  ];
  test.each(cases)('%s', (_name, start, fault, forMs, expected) => {
    const { conditions } = hold(start, forMs, fault);
    expect(conditions.map((c) => [c.dedupKey, c.severity, c.weddingDay])).toEqual(expected);
  });

  test('a refused write is scale-blocked only: the reads work, so Kubernetes is not "unreachable" however long', () => {
    const { conditions } = hold(SATURDAY_4PM, 10 * MINUTE, (s) => writeRefused(s.targets.get('checkout')!));
    expect(conditions.map((c) => c.kind)).toEqual(['scale-blocked']);
    expect(conditions[0]).toMatchObject({ subject: 'checkout', targets: ['checkout'], details: { desiredReplicas: 6, currentReplicas: 3 } });
    expect(conditions[0].summary).toContain('403 Forbidden');
  });

  test('a failed read is kubernetes-unreachable only (no per-target scale-blocked page as well)', () => {
    const { conditions } = hold(SATURDAY_4PM, 10 * MINUTE, (s, n) => kubernetesDown(s.targets.get('checkout')!, n));
    expect(conditions.map((c) => [c.kind, c.subject, c.targets])).toEqual([['kubernetes-unreachable', 'cluster', ['checkout']]]);
  });

  test('a stale error left from an earlier tick does not page: this tick read and matched the plan', () => {
    const state = fixtureState(SATURDAY_4PM, (t) => {
      t.checkout.lastScaleError = 'Forbidden';
    });
    expect(evaluateConditions(state, { ...opts, scaleBlockedAfterMs: 0 }, SATURDAY_4PM, {}).conditions).toEqual([]);
  });

  test('a non-leader does not report scale-blocked (it does not write)', () => {
    const state = fixtureState(SATURDAY_4PM, (t, s) => {
      writeRefused(t.checkout);
      s.info.leader = false;
    });
    expect(evaluateConditions(state, { ...opts, scaleBlockedAfterMs: 0 }, SATURDAY_4PM, {}).conditions).toEqual([]);
  });

  test('a fault that clears is forgotten, so the next one waits the full time again', () => {
    const down = fixtureState(SATURDAY_4PM, (t) => sourceDown(t.gallery, SATURDAY_4PM));
    const { memory } = evaluateConditions(down, opts, SATURDAY_4PM, {});
    expect(memory).toEqual({ 'source/prom-media': SATURDAY_4PM });
    expect(evaluateConditions(fixtureState(SATURDAY_4PM + MINUTE), opts, SATURDAY_4PM + MINUTE, memory).memory).toEqual({});
  });
});
