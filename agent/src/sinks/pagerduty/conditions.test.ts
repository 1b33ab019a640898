import { evaluateConditions, type ConditionMemory, type ConditionOptions } from './conditions';
import { fixtureState, FRIDAY_4PM, kubernetesDown, MINUTE, SATURDAY_4PM, sourceDown } from '../__fixtures__/condition-fixtures';

const opts: ConditionOptions = { cluster: 'test', unreachableAfterMs: 2 * MINUTE, overloadUtilization: 1, overloadedAfterMs: 2 * MINUTE };

describe('evaluateConditions', () => {
  test('a healthy agent has nothing to page about and remembers nothing', () => {
    expect(evaluateConditions(fixtureState(SATURDAY_4PM), opts, SATURDAY_4PM, {})).toEqual({ conditions: [], memory: {} });
  });

  describe('scale-blocked-during-wedding (immediate)', () => {
    test.each([
      ['read failed, critical target, Saturday wedding live', 'checkout', SATURDAY_4PM, true],
      ['read failed, critical target, Friday wedding live', 'checkout', FRIDAY_4PM, true],
      ['read failed, target not wedding-critical', 'gallery', SATURDAY_4PM, false],
      ['read failed, no wedding live (Saturday 23:30)', 'checkout', SATURDAY_4PM + 7.5 * 60 * MINUTE, false],
    ] as const)('%s', (_name, target, now, pages) => {
      const state = fixtureState(now, (t) => kubernetesDown(t[target], now));
      const { conditions } = evaluateConditions(state, opts, now, {});
      const blocked = conditions.filter((c) => c.kind === 'scale-blocked-during-wedding');
      expect(blocked).toHaveLength(pages ? 1 : 0);
      if (pages) {
        expect(blocked[0]).toMatchObject({ dedupKey: 'wedsync/test/scale-blocked-during-wedding/checkout', severity: 'critical', targets: ['checkout'] });
        expect(blocked[0].summary).toContain('ECONNREFUSED');
      }
    });

    test('a failed scale call (fresh decision the workload does not match) pages; a stale error after recovery does not', () => {
      const failedApply = fixtureState(SATURDAY_4PM, (t) => {
        t.checkout.lastScaleError = 'Forbidden';
        t.checkout.decision = { ...t.checkout.decision!, desiredReplicas: 6 };
      });
      expect(evaluateConditions(failedApply, opts, SATURDAY_4PM, {}).conditions.map((c) => c.kind)).toEqual(['scale-blocked-during-wedding']);
      const recovered = fixtureState(SATURDAY_4PM, (t) => {
        t.checkout.lastScaleError = 'Forbidden'; // left over from an earlier tick; this tick's read and decision are fine
      });
      expect(evaluateConditions(recovered, opts, SATURDAY_4PM, {}).conditions).toEqual([]);
    });
  });

  describe('pinned-at-max-overloaded (after overloadedAfterMs)', () => {
    const pinned = (now: number, util: number) =>
      fixtureState(now, (t) => {
        for (const x of [t.checkout, t.gallery]) {
          x.workload = { replicas: 10, readyReplicas: 10 };
          x.observed = { value: util * 100, atMs: now };
        }
      });

    test('pages once the overload has lasted long enough, with severity by criticality', () => {
      const first = evaluateConditions(pinned(SATURDAY_4PM, 1.2), opts, SATURDAY_4PM, {});
      expect(first.conditions).toEqual([]);
      expect(first.memory).toEqual({ 'overloaded/checkout': SATURDAY_4PM, 'overloaded/gallery': SATURDAY_4PM });
      const later = SATURDAY_4PM + 2 * MINUTE;
      const second = evaluateConditions(pinned(later, 1.2), opts, later, first.memory);
      expect(second.conditions.map((c) => [c.dedupKey, c.severity])).toEqual([
        ['wedsync/test/pinned-at-max-overloaded/checkout', 'critical'],
        ['wedsync/test/pinned-at-max-overloaded/gallery', 'error'],
      ]);
      expect(second.conditions[0].summary).toContain('utilisation 120 %');
    });

    test.each([
      ['below the overload utilisation', 0.95, 10],
      ['below maxReplicas', 1.5, 9],
    ])('no page when %s', (_name, util, replicas) => {
      const later = SATURDAY_4PM + 10 * MINUTE;
      const state = fixtureState(later, (t) => {
        t.checkout.workload = { replicas, readyReplicas: replicas };
        t.checkout.observed = { value: util * 100, atMs: later };
      });
      expect(evaluateConditions(state, opts, later, { 'overloaded/checkout': SATURDAY_4PM }).conditions).toEqual([]);
    });
  });

  describe('unreachable inside a protection window (after unreachableAfterMs)', () => {
    const run = (now: number, down: (s: ReturnType<typeof fixtureState>) => void) => {
      let memory: ConditionMemory = {};
      let result = evaluateConditions(fixtureState(now), opts, now, memory);
      for (let t = now; t <= now + 3 * MINUTE; t += 15_000) {
        const state = fixtureState(t);
        down(state);
        result = evaluateConditions(state, opts, t, memory);
        memory = result.memory;
        if (t < now + 2 * MINUTE) expect(result.conditions.filter((c) => c.kind.endsWith('unreachable'))).toEqual([]);
      }
      return result.conditions.filter((c) => c.kind.endsWith('unreachable'));
    };

    test('Kubernetes: one page for the cluster, only after the allowed time', () => {
      const pages = run(SATURDAY_4PM, (s) => {
        for (const t of s.targets.values()) kubernetesDown(t, s.info.lastTickMs!);
      });
      expect(pages).toHaveLength(1);
      expect(pages[0]).toMatchObject({ kind: 'kubernetes-unreachable', dedupKey: 'wedsync/test/kubernetes-unreachable/cluster', severity: 'critical', targets: ['checkout', 'gallery'] });
    });

    test('a load source: one page per source, critical when a wedding-critical target depends on it', () => {
      const pages = run(SATURDAY_4PM, (s) => {
        sourceDown(s.targets.get('checkout')!, s.info.lastTickMs!);
        sourceDown(s.targets.get('gallery')!, s.info.lastTickMs!);
      });
      expect(pages.map((p) => [p.dedupKey, p.severity])).toEqual([
        ['wedsync/test/load-source-unreachable/prom', 'critical'],
        ['wedsync/test/load-source-unreachable/prom-media', 'error'],
      ]);
    });

    test('outside Saturday protection (a Friday wedding) nothing pages, however long', () => {
      const pages = run(FRIDAY_4PM, (s) => {
        for (const t of s.targets.values()) {
          kubernetesDown(t, s.info.lastTickMs!);
          sourceDown(t, s.info.lastTickMs!);
        }
      });
      expect(pages).toEqual([]);
    });

    test('a fault that clears is forgotten, so the next one waits the full time again', () => {
      const down = fixtureState(SATURDAY_4PM, (t) => sourceDown(t.gallery, SATURDAY_4PM));
      const { memory } = evaluateConditions(down, opts, SATURDAY_4PM, {});
      expect(memory).toEqual({ 'source/prom-media': SATURDAY_4PM });
      expect(evaluateConditions(fixtureState(SATURDAY_4PM + MINUTE), opts, SATURDAY_4PM + MINUTE, memory).memory).toEqual({});
    });
  });
});
