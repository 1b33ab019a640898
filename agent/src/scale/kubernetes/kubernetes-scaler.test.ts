import { KubernetesScaler } from './kubernetes-scaler';
import { KubeEventRecorder } from './event-recorder';
import { InMemoryKubeApi } from '../../../test-support/in-memory-kube-api';
import { decision, target } from './__fixtures__/actuator';

function setup() {
  let now = 1_000_000;
  const api = new InMemoryKubeApi();
  const clock = () => now;
  const scaler = new KubernetesScaler(api, new KubeEventRecorder(api, clock), clock);
  const t = target('shop-api');
  api.addWorkload(t.kubernetes, { specReplicas: 3, uid: 'uid-1' });
  return { api, scaler, t, advance: (ms: number) => (now += ms) };
}

describe('KubernetesScaler', () => {
  test('without an HPA it sets the scale subresource and writes an Event with the reasons', async () => {
    const { api, scaler, t } = setup();
    await scaler.read(t);
    expect(await scaler.apply(t, decision(t.id, 3, 7))).toEqual({ ok: true, changed: true, replicas: 7 });
    expect(api.calls.filter((c) => c.method === 'patchWorkloadReplicas').map((c) => c.args[1])).toEqual([7]);
    expect(api.events).toHaveLength(1);
    expect(api.events[0]).toMatchObject({ reason: 'WedSyncScaledUp', type: 'Normal', involved: { name: 'shop-api', namespace: 'shop', uid: 'uid-1' } });
    expect(api.events[0].message).toContain('3 → 7');
    expect(api.events[0].message).toContain('saturday: 3 weddings live');
  });

  test('with one HPA it moves minReplicas (a floor), never the Deployment, capped at the HPA max', async () => {
    const { api, scaler, t } = setup();
    api.addHpa({ namespace: 'shop', name: 'shop-api', minReplicas: 2, maxReplicas: 10, targetKind: 'Deployment', targetName: 'shop-api' });
    const read = await scaler.read(t);
    expect(read).toMatchObject({ replicas: 3, hpa: { name: 'shop-api', minReplicas: 2, maxReplicas: 10 } });
    expect(await scaler.apply(t, decision(t.id, 3, 8))).toEqual({ ok: true, changed: true, replicas: 8 });
    expect(api.hpas[0].minReplicas).toBe(8);
    await scaler.apply(t, decision(t.id, 3, 25));
    expect(api.hpas[0].minReplicas).toBe(10);
    expect(api.events.map((e) => e.reason)).toEqual(['WedSyncFloorRaised', 'WedSyncFloorRaised']);
    expect(api.events[1].message).toContain("capped at the HPA's maxReplicas 10");
    await scaler.apply(t, decision(t.id, 10, 4));
    expect(api.hpas[0].minReplicas).toBe(4);
    expect(api.events[2].reason).toBe('WedSyncFloorLowered');
    expect(api.calls.some((c) => c.method === 'patchWorkloadReplicas')).toBe(false);
  });

  test('a 409 is retried after a re-read; a persistent 409 fails after 4 tries', async () => {
    const { api, scaler, t } = setup();
    api.addHpa({ namespace: 'shop', name: 'shop-api', minReplicas: 2, maxReplicas: 10, targetKind: 'Deployment', targetName: 'shop-api' });
    api.failNext('patchHpaMinReplicas', 409);
    expect(await scaler.apply(t, decision(t.id, 3, 6))).toMatchObject({ ok: true, changed: true });
    expect(api.calls.filter((c) => c.method === 'listHpas')).toHaveLength(2);
    api.failNext('patchHpaMinReplicas', 409, 4);
    const r = await scaler.apply(t, decision(t.id, 3, 9));
    expect(r).toEqual({ ok: false, error: expect.stringContaining('conflict') });
    expect(api.hpas[0].minReplicas).toBe(6);
  });

  test('403 and 404 come back as errors naming the RBAC verb/resource or the missing object', async () => {
    const { api, scaler, t } = setup();
    api.failNext('patchWorkloadReplicas', 403);
    const forbidden = await scaler.apply(t, decision(t.id, 3, 5));
    expect(forbidden.ok).toBe(false);
    expect(!forbidden.ok && forbidden.error).toMatch(/forbidden: RBAC does not allow verb "patch" on deployments\/scale\.apps in namespace "shop"/);
    const missing = await scaler.read(target('gone'));
    expect(missing).toEqual({ error: expect.stringMatching(/not found: deployments\.apps "gone" in namespace "shop"/) });
  });

  test('double ownership is refused with one Warning Event, not one per tick', async () => {
    const { api, scaler, t } = setup();
    for (const name of ['a', 'b']) api.addHpa({ namespace: 'shop', name, minReplicas: 1, maxReplicas: 5, targetKind: 'Deployment', targetName: 'shop-api' });
    for (let i = 0; i < 3; i++) expect(await scaler.apply(t, decision(t.id, 3, 6))).toEqual({ ok: false, error: expect.stringContaining('double ownership') });
    expect(api.events.map((e) => [e.reason, e.type])).toEqual([['WedSyncScaleRefused', 'Warning']]);
    expect(api.calls.some((c) => c.method.startsWith('patch'))).toBe(false);
  });

  test('a failing Event write does not fail the change', async () => {
    const { api, scaler, t } = setup();
    api.failNext('createEvent', 403);
    expect(await scaler.apply(t, decision(t.id, 3, 4))).toMatchObject({ ok: true, changed: true });
    expect(api.workloads.get('Deployment/shop/shop-api')!.specReplicas).toBe(4);
  });

  test('start-up time is measured from the increase it made to ready, and exposed on the workload state', async () => {
    const { api, scaler, t, advance } = setup();
    await scaler.read(t);
    await scaler.apply(t, decision(t.id, 3, 6));
    const w = api.workloads.get('Deployment/shop/shop-api')!;
    w.readyReplicas = 4;
    advance(30_000);
    expect(await scaler.read(t)).not.toHaveProperty('measuredStartupSeconds');
    w.readyReplicas = 6;
    advance(45_000);
    expect(await scaler.read(t)).toMatchObject({ replicas: 6, readyReplicas: 6, measuredStartupSeconds: 75 });
  });
});
