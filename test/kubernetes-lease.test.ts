/**
 * Leader election: two agents (each with its own real @kubernetes/client-node client) contend for one
 * coordination.k8s.io/v1 Lease on the Kubernetes API stand-in (test/support/kube-api-standin.ts).
 */
import { createKubeApi, makeKubeConfig, type KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import { LeaseLeaderElector } from '../agent/src/scale/kubernetes/leader-election';
import { KubeApiStandIn } from './support/kube-api-standin';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
const k8s: KubernetesClientModule = require('@kubernetes/client-node');
const LEASES = '/apis/coordination.k8s.io/v1/namespaces/wedsync/leases';
const LEASE = `${LEASES}/wedsync-agent`;

describe('Lease leader election against the API stand-in (real client library)', () => {
  let standIn: KubeApiStandIn;
  let now: number;
  const agent = (identity: string) => {
    const api = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: standIn.kubeConfigOptions() }));
    return new LeaseLeaderElector(api, { namespace: 'wedsync', name: 'wedsync-agent', identity, leaseDurationSeconds: 15, clock: () => now });
  };

  beforeEach(async () => {
    now = Date.UTC(2026, 5, 13, 14);
    standIn = new KubeApiStandIn();
    await standIn.start();
  });
  afterEach(() => standIn.stop());

  test('stand-in: two agents start together; exactly one creates the Lease, the other gets 409 and follows', async () => {
    const [a, b] = [agent('agent-a'), agent('agent-b')];
    const results = await Promise.all([a.tryAcquireOrRenew(), b.tryAcquireOrRenew()]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const creates = standIn.requests.filter((r) => r.method === 'POST');
    expect(creates.map((r) => r.path)).toEqual([LEASES, LEASES]);
    const leader = results[0] ? 'agent-a' : 'agent-b';
    const lease = standIn.get(LEASE);
    expect(lease.spec).toMatchObject({ holderIdentity: leader, leaseDurationSeconds: 15, leaseTransitions: 0, renewTime: '2026-06-13T14:00:00.000000Z' });
    expect(lease.spec.acquireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect([a.isLeader(), b.isLeader()]).toEqual(results);
  });

  test('stand-in: renew, expire and take over, then hand over on stop', async () => {
    const [a, b] = [agent('agent-a'), agent('agent-b')];
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(await b.tryAcquireOrRenew()).toBe(false);

    now += 2000;
    expect(await a.tryAcquireOrRenew()).toBe(true);
    const renew = standIn.requests.filter((r) => r.method === 'PUT').at(-1)!;
    expect(renew).toMatchObject({ path: LEASE, contentType: 'application/json' });
    expect(renew.body.metadata.resourceVersion).toEqual(expect.any(String));
    expect(renew.body.spec).toMatchObject({ holderIdentity: 'agent-a', renewTime: '2026-06-13T14:00:02.000000Z', acquireTime: '2026-06-13T14:00:00.000000Z' });

    expect(await b.tryAcquireOrRenew()).toBe(false); // b sees the renewal at 14:00:02 (its own clock)

    // agent-a stalls (no renewals): it stops acting at the renew deadline; agent-b takes over once the Lease expires.
    now += 11_000;
    expect(a.isLeader()).toBe(false);
    expect(await b.tryAcquireOrRenew()).toBe(false);
    now += 5_000;
    expect(await b.tryAcquireOrRenew()).toBe(true);
    expect(standIn.get(LEASE).spec).toMatchObject({ holderIdentity: 'agent-b', leaseTransitions: 1 });
    expect(await a.tryAcquireOrRenew()).toBe(false);

    // Handover: agent-b shuts down and releases; agent-a leads at its very next round, no expiry wait.
    await b.stop();
    expect(standIn.get(LEASE).spec.holderIdentity).toBeUndefined();
    now += 100;
    expect(await a.tryAcquireOrRenew()).toBe(true);
    expect(standIn.get(LEASE).spec).toMatchObject({ holderIdentity: 'agent-a', leaseTransitions: 2 });
  });

  test('stand-in: a stale write loses (409) and RBAC gaps are reported by verb and resource', async () => {
    const a = agent('agent-a');
    await a.tryAcquireOrRenew();
    standIn.failNext('PUT', /leases\/wedsync-agent$/, 409);
    now += 2000;
    expect(await a.tryAcquireOrRenew()).toBe(false);

    const api = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: standIn.kubeConfigOptions() }));
    standIn.failNext('GET', /leases\/wedsync-agent$/, 403);
    await expect(api.readLease('wedsync', 'wedsync-agent')).rejects.toThrow(
      'forbidden: RBAC does not allow verb "get" on leases.coordination.k8s.io in namespace "wedsync"',
    );
  });
});
