/**
 * Real API server (kube-apiserver 1.37 built from source, test/cluster): the kustomize base and every
 * overlay, rendered by the pinned kustomize, apply to fresh namespaces: a server-side dry run first (the API
 * server validates and admits every object without storing it), then for real. The Prometheus Operator's
 * CRDs come from the operator's own Go module. Objects go in as shipped, into `wedsync` and `weddings`
 * (no other test file uses those two namespaces).
 */
import { renderOverlay, installPrometheusOperatorCrds } from './support/real-cluster-manifests';
import { realCluster, waitFor, CLUSTER_START_TIMEOUT_MS, type KubeObject, type RealCluster } from './support/real-cluster';

const OVERLAYS = [
  'agent/deploy',
  'agent/deploy/overlays/act',
  'agent/deploy/overlays/prometheus-operator',
  'agent/deploy/overlays/grafana',
  'agent/deploy/overlays/kube-prometheus-stack',
  'agent/deploy/overlays/node-identity',
  'agent/deploy/overlays/admission',
];
const SHIPPED_NAMESPACES = ['wedsync', 'weddings'];

const describeObject = (o: KubeObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

describe('real API server (kube-apiserver 1.37, test/cluster): the shipped manifests apply', () => {
  let cluster: RealCluster;
  beforeAll(async () => {
    cluster = await realCluster();
    await installPrometheusOperatorCrds(cluster);
  }, CLUSTER_START_TIMEOUT_MS);

  /** Deletes the shipped namespaces and waits until they are gone: each overlay meets a fresh cluster. */
  async function freshNamespaces(): Promise<void> {
    for (const ns of SHIPPED_NAMESPACES) await cluster.admin.request('DELETE', `/api/v1/namespaces/${ns}`);
    await waitFor(
      'the shipped namespaces to be deleted',
      async () => {
        const codes = await Promise.all(SHIPPED_NAMESPACES.map(async (ns) => (await cluster.admin.request('GET', `/api/v1/namespaces/${ns}`)).status));
        return codes.every((c) => c === 404) ? true : undefined;
      },
      90_000,
      500,
    );
  }

  /** Applies objects (dry run or real) and returns the refusals as "Kind ns/name: HTTP code message". */
  async function refusals(objects: KubeObject[], dryRun: boolean): Promise<string[]> {
    const responses = await cluster.admin.apply(objects, { dryRun, tolerate: true, fieldManager: 'kubectl' });
    return responses.flatMap((res, i) => (res.status < 300 ? [] : [`${describeObject(objects[i])}: HTTP ${res.status} ${res.body?.message ?? ''}`]));
  }

  test.each(OVERLAYS)(
    '%s: a server-side dry run admits every object, then they apply for real',
    async (overlay) => {
      await freshNamespaces();
      const objects = renderOverlay(overlay);
      expect(objects.length).toBeGreaterThan(5);
      // A dry run stores nothing, so objects inside a Namespace of the bundle would be refused for a missing
      // namespace: the bundle's Namespaces are dry-run and applied first, as `kubectl apply` orders them.
      const namespaces = objects.filter((o) => o.kind === 'Namespace');
      const rest = objects.filter((o) => o.kind !== 'Namespace');
      expect(await refusals(namespaces, true)).toEqual([]);
      expect(await refusals(namespaces, false)).toEqual([]);
      expect(await refusals(rest, true)).toEqual([]);
      expect(await refusals(rest, false)).toEqual([]);
      // Stored as sent: every object is there, owned by this apply.
      for (const obj of objects) {
        const stored = await cluster.admin.get(await cluster.admin.pathOf(obj));
        expect(stored.metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain('kubectl');
      }
    },
    180_000,
  );

  test('every namespaced object of the base lives in a namespace the base itself creates', () => {
    // The server refuses an object in a missing namespace: a bundle applied to a fresh cluster must bring
    // the namespaces of everything it holds (the targets' Role once went into `weddings`, created by nothing).
    const objects = renderOverlay('agent/deploy');
    const created = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    const used = new Set(objects.flatMap((o) => (o.metadata.namespace ? [o.metadata.namespace] : [])));
    expect([...used].filter((ns) => !created.has(ns))).toEqual([]);
  });
});
