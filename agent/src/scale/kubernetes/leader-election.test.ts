import { InMemoryKubeApi } from '../../../test-support/in-memory-kube-api';
import { LeaseLeaderElector } from './leader-election';

function pair() {
  let now = Date.UTC(2026, 5, 13, 12);
  const api = new InMemoryKubeApi();
  const changes: Record<string, boolean[]> = { a: [], b: [] };
  const make = (id: 'a' | 'b') =>
    new LeaseLeaderElector(api, {
      namespace: 'wedsync',
      name: 'wedsync-agent',
      identity: id,
      leaseDurationSeconds: 15,
      clock: () => now,
      onChange: (l) => changes[id].push(l),
    });
  return { api, a: make('a'), b: make('b'), changes, advance: (s: number) => (now += s * 1000), lease: () => api.leases.get('wedsync/wedsync-agent')! };
}

describe('LeaseLeaderElector', () => {
  test('the first replica creates the Lease and leads; the second follows', async () => {
    const { a, b, lease, changes } = pair();
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    expect(lease()).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 15, leaseTransitions: 0 });
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    expect(changes).toEqual({ a: [true], b: [] });
  });

  test('renewing moves renewTime and keeps acquireTime; the follower never takes a renewed Lease', async () => {
    const { a, b, lease, advance } = pair();
    await a.tryAcquireOrRenew();
    const acquired = lease().acquireTimeMs;
    for (let i = 0; i < 10; i++) {
      advance(2);
      await a.tryAcquireOrRenew();
      expect(await b.tryAcquireOrRenew()).toBe(false);
    }
    expect(lease()).toMatchObject({ holderIdentity: 'a', acquireTimeMs: acquired, renewTimeMs: acquired! + 20_000, leaseTransitions: 0 });
  });

  test('when the leader stops renewing, it steps down before the Lease expires, and the follower takes over after expiry', async () => {
    const { a, b, lease, advance, changes } = pair();
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew();
    advance(10);
    expect(a.isLeader()).toBe(false); // renew deadline (10 s) passed without a renewal: stop acting
    expect(await b.tryAcquireOrRenew()).toBe(false); // but the Lease (15 s) has not expired yet
    advance(6);
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(lease()).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
    expect(await a.tryAcquireOrRenew()).toBe(false);
    expect(changes.a).toEqual([true, false]);
    expect(changes.b).toEqual([true]);
  });

  test('two contenders racing for an expired Lease: exactly one wins (409 for the other)', async () => {
    const { api, a, b, advance, lease } = pair();
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew();
    advance(20);
    const c = new LeaseLeaderElector(api, {
      namespace: 'wedsync',
      name: 'wedsync-agent',
      identity: 'c',
      leaseDurationSeconds: 15,
      clock: () => Date.UTC(2026, 5, 13, 12) + 20_000,
    });
    await c.tryAcquireOrRenew(); // c only now sees the record: it must wait a full lease itself
    const results = await Promise.all([b.tryAcquireOrRenew(), a.tryAcquireOrRenew()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(api.calls.filter((x) => x.method === 'replaceLease').length).toBeGreaterThanOrEqual(2);
    expect(lease().holderIdentity).toBe(results[0] ? 'b' : 'a');
  });

  test('stop() hands over: the Lease is released and the standby leads on its next round', async () => {
    const { a, b, lease, advance } = pair();
    await a.tryAcquireOrRenew();
    await b.tryAcquireOrRenew();
    await a.stop();
    expect(a.isLeader()).toBe(false);
    expect(lease().holderIdentity).toBeNull();
    advance(1);
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(await a.tryAcquireOrRenew()).toBe(false);
    await a.stop(); // idempotent
  });

  test('API errors keep a leader leading until the renew deadline, then it steps down', async () => {
    const { api, a, advance } = pair();
    await a.tryAcquireOrRenew();
    api.failNext('readLease', 500, 10);
    advance(4);
    expect(await a.tryAcquireOrRenew()).toBe(true);
    advance(7);
    expect(await a.tryAcquireOrRenew()).toBe(false);
  });

  test('a renew deadline at or above the lease duration is refused at construction', () => {
    expect(
      () =>
        new LeaseLeaderElector(new InMemoryKubeApi(), {
          namespace: 'n',
          name: 'l',
          identity: 'a',
          leaseDurationSeconds: 10,
          renewDeadlineSeconds: 10,
          clock: () => 0,
        }),
    ).toThrow(/renewDeadlineSeconds must be below leaseDurationSeconds/);
  });
});
