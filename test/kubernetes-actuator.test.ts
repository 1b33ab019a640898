/**
 * The Kubernetes actuator with the real @kubernetes/client-node against a local Kubernetes API stand-in
 * (test/support/kube-api-standin.ts: plain HTTP on 127.0.0.1, recording every request).
 */
import { targetSchema } from '../agent/src/config/schema';
import type { Decision, Override } from '../agent/src/plan/types';
import { createKubeApi, makeKubeConfig, type KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import { KubeEventRecorder } from '../agent/src/scale/kubernetes/event-recorder';
import type { KubeApi } from '../agent/src/contracts/kube-api';
import { KubernetesScaler } from '../agent/src/scale/kubernetes/kubernetes-scaler';
import { OVERRIDES_ANNOTATION, readLegacyOverrides } from '../agent/src/scale/kubernetes/legacy-override-annotation';
import { KubeApiStandIn } from './support/kube-api-standin';
import { PriceBook } from '../agent/src/cost/price-book';
import { pricingSchema } from '../agent/src/config/pricing-config';
import { deployment, hpa, DEPLOY_PATH, HPA_PATH, HPAS_PATH } from './support/kube-objects';

// Jest loads the ESM-only client through the transform in test/jest.config.js; the agent uses import().
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
const k8s: KubernetesClientModule = require('@kubernetes/client-node');

const T0 = Date.UTC(2026, 5, 13, 13);
const target = targetSchema.parse({
  id: 'shop-api',
  kubernetes: { namespace: 'shop', name: 'shop-api' },
  load: { source: 'prometheus', query: 'up' },
  capacityPerPod: 50,
  maxReplicas: 40,
});
const decision = (current: number, desired: number): Decision => ({
  targetId: target.id,
  atMs: T0,
  currentReplicas: current,
  desiredReplicas: desired,
  reasons: [{ rule: 'wedding_headroom', replicas: desired, detail: '20% headroom: 2 weddings live' }],
  protections: ['wedding_headroom'],
  deployFreeze: false,
  holding: false,
});

describe('Kubernetes actuator against the API stand-in (real client library)', () => {
  let standIn: KubeApiStandIn;
  let api: KubeApi;
  let scaler: KubernetesScaler;

  beforeEach(async () => {
    standIn = new KubeApiStandIn();
    await standIn.start();
    api = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: standIn.kubeConfigOptions() }));
    scaler = new KubernetesScaler(api, new KubeEventRecorder(api, () => T0), () => T0);
    standIn.put(DEPLOY_PATH, deployment(3));
  });
  afterEach(() => standIn.stop());

  const writes = () => standIn.requests.filter((r) => r.method !== 'GET');

  test('stand-in: without an HPA it merge-patches deployments/scale and writes an Event with the reason', async () => {
    expect(await scaler.read(target)).toEqual({ replicas: 3, readyReplicas: 3, generation: 4 });
    expect(await scaler.apply(target, decision(3, 9))).toEqual({ ok: true, changed: true, replicas: 9 });
    const [patch, event] = writes();
    expect(patch).toEqual({ method: 'PATCH', path: `${DEPLOY_PATH}/scale`, contentType: 'application/merge-patch+json', body: { spec: { replicas: 9 } } });
    expect(event).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/shop/events', contentType: 'application/json' });
    expect(event.body).toMatchObject({
      reason: 'WedSyncScaledUp',
      type: 'Normal',
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop-api', namespace: 'shop', uid: 'uid-shop-api' },
      source: { component: 'wedsync-agent' },
    });
    expect(event.body.message).toBe('Deployment shop-api replicas 3 → 9: wedding_headroom: 20% headroom: 2 weddings live');
    expect(standIn.get(DEPLOY_PATH).spec.replicas).toBe(9);
  });

  test("stand-in: one pod's requests are read from the Deployment's template (summed over containers) and priced by the table", async () => {
    type Container = { name: string; image: string; resources?: { requests: Record<string, string> } };
    const d = deployment(3);
    const containers: Container[] = [
      { name: 'api', image: 'shop/api:1', resources: { requests: { cpu: '750m', memory: '1536Mi' } } },
      { name: 'proxy', image: 'envoy:1', resources: { requests: { cpu: '250m', memory: '512Mi' } } },
    ];
    d.spec.template.spec.containers = containers;
    standIn.put(DEPLOY_PATH, d);
    const read = await scaler.read(target);
    expect(read).toEqual({ replicas: 3, readyReplicas: 3, generation: 4, podRequests: { cpu: 1, memoryGiB: 2 } });
    const pricing = pricingSchema.parse({
      provider: 'gke',
      region: 'europe-west4',
      table: { gke: { 'europe-west4': { onDemand: { vcpuHour: 0.03, gibHour: 0.004 } } } },
    });
    // The spec's requests win over the target's fallback (none here).
    const price = new PriceBook(pricing, () => T0).price(target, 'error' in read ? undefined : read.podRequests);
    expect(price).toMatchObject({ source: 'table', perReplicaHour: expect.closeTo(1 * 0.03 + 2 * 0.004, 10) });
    // A container without requests: the pod's price is unknown, not undercounted.
    containers.push({ name: 'sidecar', image: 'x:1' });
    standIn.put(DEPLOY_PATH, d);
    const partial = await scaler.read(target);
    expect('error' in partial ? 'error' : partial.podRequests).toBeUndefined();
  });

  test('stand-in: with an HPA it merge-patches autoscaling/v2 minReplicas and never the Deployment; a 409 is retried after a re-read', async () => {
    standIn.put(HPA_PATH, hpa('shop-api', 2, 20));
    standIn.failNext('PATCH', /horizontalpodautoscalers\/shop-api$/, 409);
    expect(await scaler.apply(target, decision(3, 8))).toEqual({ ok: true, changed: true, replicas: 8 });
    const patches = writes().filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(2);
    for (const p of patches) {
      expect(p.path).toBe(HPA_PATH);
      expect(p.contentType).toBe('application/merge-patch+json');
      expect(p.body).toEqual({ metadata: { resourceVersion: expect.any(String) }, spec: { minReplicas: 8 } });
    }
    expect(standIn.requests.filter((r) => r.method === 'GET' && r.path === HPAS_PATH)).toHaveLength(2);
    expect(standIn.get(HPA_PATH).spec.minReplicas).toBe(8);
    expect(standIn.get(HPA_PATH).spec.maxReplicas).toBe(20);
    expect(writes().find((r) => r.method === 'POST')!.body.reason).toBe('WedSyncFloorRaised');
  });

  test('stand-in: a stale resourceVersion on the HPA really is refused by the server and the retry uses the fresh one', async () => {
    standIn.put(HPA_PATH, hpa('shop-api', 2, 20));
    // Someone else edits the HPA between our read and our patch: the stand-in bumps its resourceVersion.
    const originalList = api.listHpas.bind(api);
    let first = true;
    api.listHpas = async (ns) => {
      const list = await originalList(ns);
      if (first) standIn.put(HPA_PATH, hpa('shop-api', 3, 20));
      first = false;
      return list;
    };
    expect(await scaler.apply(target, decision(3, 6))).toMatchObject({ ok: true, changed: true });
    const [stale, fresh] = writes().filter((r) => r.method === 'PATCH');
    expect(stale.body.metadata.resourceVersion).not.toBe(fresh.body.metadata.resourceVersion);
    expect(standIn.get(HPA_PATH).spec.minReplicas).toBe(6);
  });

  test('stand-in: 403 is reported naming the RBAC verb and resource, 404 naming the missing object', async () => {
    standIn.failNext('PATCH', /deployments\/shop-api\/scale$/, 403);
    const forbidden = await scaler.apply(target, decision(3, 5));
    expect(forbidden).toEqual({
      ok: false,
      error: expect.stringContaining('forbidden: RBAC does not allow verb "patch" on deployments/scale.apps in namespace "shop"'),
    });
    const gone = targetSchema.parse({ ...target, id: 'gone', kubernetes: { namespace: 'shop', name: 'gone' } });
    expect(await scaler.read(gone)).toEqual({ error: expect.stringContaining('not found: deployments.apps "gone" in namespace "shop" does not exist') });
    standIn.failNext('GET', /horizontalpodautoscalers$/, 403);
    const r = await scaler.read(target);
    expect(r).toEqual({ error: expect.stringContaining('verb "list" on horizontalpodautoscalers.autoscaling') });
  });

  test('stand-in: two HPAs or a KEDA-owned HPA are refused with a Warning Event and no patch', async () => {
    standIn.put(HPA_PATH, hpa('shop-api', 2, 20));
    standIn.put(`${HPAS_PATH}/shop-api-2`, hpa('shop-api-2', 1, 5));
    expect(await scaler.apply(target, decision(3, 6))).toEqual({ ok: false, error: expect.stringContaining('double ownership') });
    standIn.objects.delete(`${HPAS_PATH}/shop-api-2`);
    standIn.put(HPA_PATH, {
      ...hpa('keda-hpa-shop-api', 2, 20),
      metadata: {
        name: 'keda-hpa-shop-api',
        namespace: 'shop',
        ownerReferences: [{ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'shop-api', uid: 'u' }],
      },
    });
    expect(await scaler.apply(target, decision(3, 6))).toEqual({ ok: false, error: expect.stringContaining('KEDA ScaledObject') });
    expect(writes().map((r) => [r.method, r.body?.reason])).toEqual([
      ['POST', 'WedSyncScaleRefused'],
      ['POST', 'WedSyncScaleRefused'],
    ]);
  });

  test('stand-in: overrides earlier versions kept in the annotation are read with one GET per target, never written', async () => {
    const override: Override = {
      id: 'ov-1',
      targetId: target.id,
      type: 'pin',
      replicas: 12,
      untilMs: T0 + 3600_000,
      untilWeddingEnds: false,
      reason: 'speeches',
      author: 'ops',
      createdAtMs: T0,
    };
    const d = deployment(3);
    standIn.put(DEPLOY_PATH, {
      ...d,
      metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [OVERRIDES_ANNOTATION]: JSON.stringify([override]) } },
    });
    expect(await readLegacyOverrides(api, [target], T0)).toEqual([override]);
    expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${DEPLOY_PATH}`]);
  });
});
