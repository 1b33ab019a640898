/**
 * KubeApi over the real @kubernetes/client-node (1.4.0 — 2.x needs Node ≥ 22). The package is ESM-only:
 * `loadKubernetesClient` keeps a real `import()` (module node16 compiles it as such), and callers can
 * pass the module in (tests load it through Jest's transform), so nothing else ever loads it.
 * Patches are JSON merge patches (the client's default is JSON Patch); errors become KubeApiError.
 */
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { isNotFound, kubeError, parseRetryAfter, type KubeOperation } from '../../contracts/kube-errors';
import type { ConfigMapRecord, HpaSnapshot, KubeApi, KubeEvent, LeaseRecord, WorkloadSnapshot } from '../../contracts/kube-api';
import { configMapOp, leaseOp, workloadOp } from '../../contracts/kube-operations';
import { formatMicroTime, parseMicroTime } from './micro-time';
import { podRequests } from '../../cost/quantity';

export type KubernetesClientModule = typeof K8s;

export function loadKubernetesClient(): Promise<KubernetesClientModule> {
  return import('@kubernetes/client-node');
}

export type KubeConnection =
  { connection: 'in-cluster' } | { connection: 'kubeconfig'; kubeconfig: string; context?: string } | { connection: 'options'; options: object };

export function makeKubeConfig(k8s: KubernetesClientModule, conn: KubeConnection): K8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  if (conn.connection === 'in-cluster') {
    if (!process.env.KUBERNETES_SERVICE_HOST)
      throw new Error('kubernetes.connection is "in-cluster" but KUBERNETES_SERVICE_HOST is not set: run the agent in a pod, or use connection "kubeconfig"');
    kc.loadFromCluster();
  } else if (conn.connection === 'kubeconfig') {
    kc.loadFromFile(conn.kubeconfig);
    if (conn.context) kc.setCurrentContext(conn.context);
  } else kc.loadFromOptions(conn.options);
  return kc;
}

export function createKubeApi(k8s: KubernetesClientModule, kc: K8s.KubeConfig, component = 'wedsync-agent'): KubeApi {
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const autoscaling = kc.makeApiClient(k8s.AutoscalingV2Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
  const authorization = kc.makeApiClient(k8s.AuthorizationV1Api);
  const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

  /** Runs a call, turning the client's ApiException into a KubeApiError that names the operation. */
  async function call<T>(op: KubeOperation, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof k8s.ApiException)
        throw kubeError(err.code, op, serverMessage(err.body), parseRetryAfter(header(err.headers, 'retry-after'), Date.now()));
      throw err;
    }
  }
  const toConfigMap = (c: K8s.V1ConfigMap): ConfigMapRecord => ({ data: { ...(c.data ?? {}) }, resourceVersion: c.metadata?.resourceVersion });
  const fromConfigMap = (namespace: string, name: string, r: ConfigMapRecord, labels?: Record<string, string>): K8s.V1ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, ...(labels ? { labels } : {}), ...(r.resourceVersion ? { resourceVersion: r.resourceVersion } : {}) },
    data: r.data,
  });

  const toLease = (l: K8s.V1Lease): LeaseRecord => ({
    holderIdentity: l.spec?.holderIdentity || null,
    leaseDurationSeconds: l.spec?.leaseDurationSeconds ?? null,
    acquireTimeMs: parseMicroTime(l.spec?.acquireTime),
    renewTimeMs: parseMicroTime(l.spec?.renewTime),
    leaseTransitions: l.spec?.leaseTransitions ?? 0,
    resourceVersion: l.metadata?.resourceVersion,
  });
  const fromLease = (namespace: string, name: string, r: LeaseRecord): K8s.V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(r.resourceVersion ? { resourceVersion: r.resourceVersion } : {}) },
    spec: {
      // The API server wants MicroTime (six fraction digits); the client sends a string as it is.
      holderIdentity: r.holderIdentity ?? undefined,
      leaseDurationSeconds: r.leaseDurationSeconds ?? undefined,
      acquireTime: (r.acquireTimeMs === null ? undefined : formatMicroTime(r.acquireTimeMs)) as unknown as K8s.V1MicroTime,
      renewTime: (r.renewTimeMs === null ? undefined : formatMicroTime(r.renewTimeMs)) as unknown as K8s.V1MicroTime,
      leaseTransitions: r.leaseTransitions,
    },
  });

  return {
    async readWorkload(ref) {
      const op = workloadOp('get', ref);
      const obj: K8s.V1Deployment | K8s.V1StatefulSet =
        ref.kind === 'Deployment'
          ? await call(op, () => apps.readNamespacedDeployment({ name: ref.name, namespace: ref.namespace }))
          : await call(op, () => apps.readNamespacedStatefulSet({ name: ref.name, namespace: ref.namespace }));
      const snap: WorkloadSnapshot = {
        uid: obj.metadata?.uid,
        resourceVersion: obj.metadata?.resourceVersion,
        generation: obj.metadata?.generation,
        specReplicas: obj.spec?.replicas ?? 1,
        readyReplicas: obj.status?.readyReplicas ?? 0,
        annotations: { ...(obj.metadata?.annotations ?? {}) },
        podRequests: podRequests(obj.spec?.template?.spec?.containers),
        annotationManagers: annotationManagers(obj.metadata?.managedFields),
      };
      return snap;
    },

    async listHpas(namespace) {
      const op: KubeOperation = { verb: 'list', resource: 'horizontalpodautoscalers', group: 'autoscaling', namespace };
      const list = await call(op, () => autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }));
      return list.items.map((h): HpaSnapshot => ({
        namespace: h.metadata?.namespace ?? namespace,
        name: h.metadata?.name ?? '',
        resourceVersion: h.metadata?.resourceVersion,
        minReplicas: h.spec?.minReplicas ?? 1,
        maxReplicas: h.spec?.maxReplicas ?? 1,
        currentReplicas: h.status?.currentReplicas,
        desiredReplicas: h.status?.desiredReplicas,
        targetKind: h.spec?.scaleTargetRef.kind ?? '',
        targetName: h.spec?.scaleTargetRef.name ?? '',
        ownerKinds: (h.metadata?.ownerReferences ?? []).map((o) => o.kind),
        labels: { ...(h.metadata?.labels ?? {}) },
      }));
    },

    async patchHpaMinReplicas(namespace, name, minReplicas, resourceVersion) {
      const op: KubeOperation = { verb: 'patch', resource: 'horizontalpodautoscalers', group: 'autoscaling', namespace, name };
      const body = { ...(resourceVersion ? { metadata: { resourceVersion } } : {}), spec: { minReplicas } };
      await call(op, () => autoscaling.patchNamespacedHorizontalPodAutoscaler({ name, namespace, body }, merge));
    },

    async patchWorkloadReplicas(ref, replicas) {
      const op = workloadOp('patch', ref, '/scale');
      const param = { name: ref.name, namespace: ref.namespace, body: { spec: { replicas } } };
      if (ref.kind === 'Deployment') await call(op, () => apps.patchNamespacedDeploymentScale(param, merge));
      else await call(op, () => apps.patchNamespacedStatefulSetScale(param, merge));
    },

    async patchWorkloadAnnotations(ref, annotations, resourceVersion) {
      const op = workloadOp('patch', ref);
      const param = { name: ref.name, namespace: ref.namespace, body: { metadata: { annotations, ...(resourceVersion ? { resourceVersion } : {}) } } };
      if (ref.kind === 'Deployment') await call(op, () => apps.patchNamespacedDeployment(param, merge));
      else await call(op, () => apps.patchNamespacedStatefulSet(param, merge));
    },

    async createEvent(e: KubeEvent) {
      const op: KubeOperation = { verb: 'create', resource: 'events', group: '', namespace: e.involved.namespace };
      const at = new Date(e.atMs);
      const body: K8s.CoreV1Event = {
        metadata: { generateName: `${e.involved.name}.`, namespace: e.involved.namespace },
        involvedObject: { apiVersion: 'apps/v1', kind: e.involved.kind, name: e.involved.name, namespace: e.involved.namespace, uid: e.involved.uid },
        reason: e.reason,
        message: e.message,
        type: e.type,
        count: 1,
        firstTimestamp: at,
        lastTimestamp: at,
        source: { component },
        reportingComponent: component,
        reportingInstance: component,
        action: 'Scale',
      };
      await call(op, () => core.createNamespacedEvent({ namespace: e.involved.namespace, body }));
    },

    async readLease(namespace, name) {
      const lease = await nullIfNotFound(call(leaseOp('get', namespace, name), () => coordination.readNamespacedLease({ name, namespace })));
      return lease && toLease(lease);
    },

    async createLease(namespace, name, record) {
      return toLease(
        await call(leaseOp('create', namespace, name), () => coordination.createNamespacedLease({ namespace, body: fromLease(namespace, name, record) })),
      );
    },

    async replaceLease(namespace, name, record) {
      return toLease(
        await call(leaseOp('update', namespace, name), () =>
          coordination.replaceNamespacedLease({ name, namespace, body: fromLease(namespace, name, record) }),
        ),
      );
    },

    async readConfigMap(namespace, name) {
      const cm = await nullIfNotFound(call(configMapOp('get', namespace, name), () => core.readNamespacedConfigMap({ name, namespace })));
      return cm && toConfigMap(cm);
    },

    async createConfigMap(namespace, name, data, labels) {
      return toConfigMap(
        await call(configMapOp('create', namespace, name), () =>
          core.createNamespacedConfigMap({ namespace, body: fromConfigMap(namespace, name, { data }, labels) }),
        ),
      );
    },

    async replaceConfigMap(namespace, name, record, labels) {
      return toConfigMap(
        await call(configMapOp('update', namespace, name), () =>
          core.replaceNamespacedConfigMap({ name, namespace, body: fromConfigMap(namespace, name, record, labels) }),
        ),
      );
    },

    async listNodes(limit) {
      const op: KubeOperation = { verb: 'list', resource: 'nodes', group: '', namespace: '' };
      // The permission is optional (the node-identity addon grants it). Ask first, so an agent without it
      // never sends a request the API server refuses: a run of the shipped RBAC has no 403 in the audit log.
      const review = await call({ verb: 'create', resource: 'selfsubjectaccessreviews', group: 'authorization.k8s.io', namespace: '' }, () =>
        authorization.createSelfSubjectAccessReview({
          body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'list', resource: 'nodes' } } },
        }),
      );
      if (!review.status?.allowed) throw kubeError(403, op, 'not allowed by RBAC (self-subject access review), not asked');
      const list = await call(op, () => core.listNode({ limit }));
      return list.items.map((n) => ({ providerID: n.spec?.providerID, labels: { ...(n.metadata?.labels ?? {}) } }));
    },
  };
}

/** Annotation key → the manager whose managedFields entry owns it (the latest entry wins). */
export function annotationManagers(fields: K8s.V1ManagedFieldsEntry[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const sorted = [...(fields ?? [])].sort((a, b) => String(a.time ?? '').localeCompare(String(b.time ?? '')));
  for (const f of sorted) {
    const owned = (f.fieldsV1 as { 'f:metadata'?: { 'f:annotations'?: Record<string, unknown> } } | undefined)?.['f:metadata']?.['f:annotations'];
    for (const k of Object.keys(owned ?? {})) if (k.startsWith('f:') && f.manager) out[k.slice(2)] = f.manager;
  }
  return out;
}

/** A response header by name, whatever its case (the client hands headers over as a plain object). */
export function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const found = Object.entries(headers as Record<string, unknown>).find(([k]) => k.toLowerCase() === name);
  return typeof found?.[1] === 'string' ? found[1] : undefined;
}

/** The Status message the API server sends with an error, when the body is one. */
function serverMessage(body: unknown): string | undefined {
  try {
    const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown } | null | undefined;
    return typeof parsed?.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}

/** A read of an object that may not exist yet (a Lease, the state ConfigMap): 404 is null, not an error. */
async function nullIfNotFound<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}
