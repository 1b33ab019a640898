import { fixtureState, MINUTE, SATURDAY_4PM } from '../__fixtures__/condition-fixtures';
import type { TargetState } from '../../state';
import { PageTracker } from './page-tracker';
import { dashboardLink, toPagerDutyEvent } from './pagerduty-events';

const opts = { cluster: 'test', unreachableAfterMs: 2 * MINUTE, overloadUtilization: 1, overloadedAfterMs: 0 };
/** The leader's scale write was refused this tick (RBAC): scale-blocked, at once with these options. */
const writeRefused = (t: TargetState) => {
  t.lastScaleError = 'HTTP-Code: 403 Forbidden';
  t.decision = { ...t.decision!, desiredReplicas: 6 };
};

describe('PageTracker', () => {
  test('triggers once while a condition holds, resolves with the same key when it clears', () => {
    const tracker = new PageTracker(opts);
    const t0 = SATURDAY_4PM;
    expect(tracker.next(fixtureState(t0), t0)).toEqual([]);
    const down = (now: number) => fixtureState(now, (t) => writeRefused(t.checkout));
    const first = tracker.next(down(t0 + 15_000), t0 + 15_000);
    expect(first.map((e) => [e.action, e.dedupKey])).toEqual([['trigger', 'wedsync/test/scale-blocked/checkout']]);
    expect(tracker.next(down(t0 + 30_000), t0 + 30_000)).toEqual([]);
    expect(tracker.openConditions).toHaveLength(1);
    const cleared = tracker.next(fixtureState(t0 + 45_000), t0 + 45_000);
    expect(cleared).toEqual([{ action: 'resolve', kind: 'scale-blocked', dedupKey: 'wedsync/test/scale-blocked/checkout', atMs: t0 + 45_000 }]);
    expect(tracker.openConditions).toEqual([]);
  });

  test('re-triggers the same key when the severity changes', () => {
    const tracker = new PageTracker(opts);
    const pinned = (now: number, weddingCritical: boolean) =>
      fixtureState(now, (t) => {
        t.gallery.workload = { replicas: 10, readyReplicas: 10 };
        t.gallery.observed = { value: 150, atMs: now };
        (t.gallery.config as { weddingCritical: boolean }).weddingCritical = weddingCritical;
      });
    const a = tracker.next(pinned(SATURDAY_4PM, false), SATURDAY_4PM);
    expect(a.map((e) => e.action === 'trigger' && e.condition.severity)).toEqual(['error']);
    const b = tracker.next(pinned(SATURDAY_4PM + 15_000, true), SATURDAY_4PM + 15_000);
    expect(b.map((e) => e.action === 'trigger' && [e.dedupKey, e.condition.severity])).toEqual([['wedsync/test/pinned-at-max-overloaded/gallery', 'critical']]);
  });
});

describe('toPagerDutyEvent', () => {
  const ctx = { routingKey: 'R0UTING', source: 'wedsync-agent/test', cluster: 'test', dashboardUrl: 'https://grafana.example/d/wedsync/wedsync?orgId=1' };

  test('a trigger carries summary, severity, class, component, details and a dashboard link for the target', () => {
    const tracker = new PageTracker(opts);
    const [e] = tracker.next(
      fixtureState(SATURDAY_4PM, (t) => writeRefused(t.checkout)),
      SATURDAY_4PM,
    );
    const body = toPagerDutyEvent(e, ctx);
    expect(body).toMatchObject({
      routing_key: 'R0UTING',
      event_action: 'trigger',
      dedup_key: 'wedsync/test/scale-blocked/checkout',
      payload: {
        source: 'wedsync-agent/test',
        severity: 'critical',
        component: 'checkout',
        group: 'test',
        class: 'scale-blocked',
        timestamp: '2026-06-13T15:00:00.000Z',
      },
      links: [{ href: 'https://grafana.example/d/wedsync/wedsync?orgId=1&var-target=checkout', text: 'WedSync dashboard' }],
    });
    expect(body.payload.custom_details).toMatchObject({ liveWeddings: 1, targets: ['checkout'] });
  });

  test('a resolve carries only the key', () => {
    expect(toPagerDutyEvent({ action: 'resolve', kind: 'kubernetes-unreachable', dedupKey: 'k', atMs: 0 }, ctx)).toEqual({
      routing_key: 'R0UTING',
      event_action: 'resolve',
      dedup_key: 'k',
    });
  });

  test('a page about several targets links to the whole dashboard', () => {
    expect(dashboardLink('https://grafana.example/d/x', ['a', 'b'])).toBe('https://grafana.example/d/x');
  });
});
