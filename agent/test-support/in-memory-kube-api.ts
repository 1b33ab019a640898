/**
 * A Kubernetes API in memory with the server's optimistic concurrency (resourceVersion → 409), for unit
 * tests of the scaler, the leader election and the durable state. `failNext` injects one error status
 * for the next call of a method; `throttleNext` a 429 with its Retry-After. The stand-in HTTP server in test/support plays the same role for the
 * real client library.
 */
import { kubeError, type KubeOperation } from '../src/contracts/kube-errors';
import { configMapOp, leaseOp, workloadOp } from '../src/contracts/kube-operations';
import type { ConfigMapRecord, HpaSnapshot, KubeApi, KubeEvent, LeaseRecord, WorkloadRef, WorkloadSnapshot } from '../src/contracts/kube-api';

type Method = keyof KubeApi;

export class InMemoryKubeApi implements KubeApi {
  readonly workloads = new Map<string, WorkloadSnapshot>();
  readonly hpas: HpaSnapshot[] = [];
  readonly leases = new Map<string, LeaseRecord>();
  readonly events: KubeEvent[] = [];
  readonly configMaps = new Map<string, ConfigMapRecord>();
  readonly calls: Array<{ method: Method; args: unknown[] }> = [];
  private readonly failures = new Map<Method, Array<{ status: number; retryAfterSeconds?: number }>>();
  private version = 1;

  addWorkload(ref: WorkloadRef, w: Partial<WorkloadSnapshot> & { specReplicas: number }): void {
    this.workloads.set(key(ref), { readyReplicas: w.specReplicas, annotations: {}, generation: 1, ...w, resourceVersion: this.nextVersion() });
  }

  addHpa(h: Omit<HpaSnapshot, 'resourceVersion' | 'ownerKinds' | 'labels'> & Partial<HpaSnapshot>): void {
    this.hpas.push({ ownerKinds: [], labels: {}, ...h, resourceVersion: this.nextVersion() });
  }

  /** The next `times` calls of `method` fail with `status`. */
  failNext(method: Method, status: number, times = 1, retryAfterSeconds?: number): void {
    const fault = { status, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...new Array<typeof fault>(times).fill(fault)]);
  }

  /** The next `times` calls of `method` are answered 429 Too Many Requests, with Retry-After when given. */
  throttleNext(method: Method, retryAfterSeconds?: number, times = 1): void {
    this.failNext(method, 429, times, retryAfterSeconds);
  }

  async readWorkload(ref: WorkloadRef): Promise<WorkloadSnapshot> {
    this.enter('readWorkload', [ref], workloadOp('get', ref));
    const w = this.workloads.get(key(ref));
    if (!w) throw kubeError(404, workloadOp('get', ref));
    return structuredClone(w);
  }

  async listHpas(namespace: string): Promise<HpaSnapshot[]> {
    this.enter('listHpas', [namespace], { verb: 'list', resource: 'horizontalpodautoscalers', group: 'autoscaling', namespace });
    return structuredClone(this.hpas.filter((h) => h.namespace === namespace));
  }

  async patchHpaMinReplicas(namespace: string, name: string, minReplicas: number, resourceVersion?: string): Promise<void> {
    const o: KubeOperation = { verb: 'patch', resource: 'horizontalpodautoscalers', group: 'autoscaling', namespace, name };
    this.enter('patchHpaMinReplicas', [namespace, name, minReplicas, resourceVersion], o);
    const h = this.hpas.find((x) => x.namespace === namespace && x.name === name);
    if (!h) throw kubeError(404, o);
    if (resourceVersion && resourceVersion !== h.resourceVersion) throw kubeError(409, o);
    h.minReplicas = minReplicas;
    h.resourceVersion = this.nextVersion();
  }

  async patchWorkloadReplicas(ref: WorkloadRef, replicas: number): Promise<void> {
    const o = workloadOp('patch', ref, '/scale');
    this.enter('patchWorkloadReplicas', [ref, replicas], o);
    const w = this.workloads.get(key(ref));
    if (!w) throw kubeError(404, o);
    w.specReplicas = replicas;
    w.resourceVersion = this.nextVersion();
  }

  async patchWorkloadAnnotations(ref: WorkloadRef, annotations: Record<string, string | null>, resourceVersion?: string): Promise<void> {
    const o = workloadOp('patch', ref);
    this.enter('patchWorkloadAnnotations', [ref, annotations, resourceVersion], o);
    const w = this.workloads.get(key(ref));
    if (!w) throw kubeError(404, o);
    if (resourceVersion && resourceVersion !== w.resourceVersion) throw kubeError(409, o);
    for (const [k, v] of Object.entries(annotations))
      if (v === null) delete w.annotations[k];
      else w.annotations[k] = v;
    w.resourceVersion = this.nextVersion();
  }

  async createEvent(event: KubeEvent): Promise<void> {
    this.enter('createEvent', [event], { verb: 'create', resource: 'events', group: '', namespace: event.involved.namespace });
    this.events.push(structuredClone(event));
  }

  /** A ConfigMap as `kubectl apply` would leave it (the admission overlay creates the freeze's). */
  addConfigMap(namespace: string, name: string, data: Record<string, string> = {}): void {
    this.configMaps.set(`${namespace}/${name}`, { data, resourceVersion: this.nextVersion() });
  }

  async readLease(namespace: string, name: string): Promise<LeaseRecord | null> {
    this.enter('readLease', [namespace, name], leaseOp('get', namespace, name));
    const l = this.leases.get(`${namespace}/${name}`);
    return l ? { ...l } : null;
  }

  async createLease(namespace: string, name: string, record: LeaseRecord): Promise<LeaseRecord> {
    this.enter('createLease', [namespace, name, record], leaseOp('create', namespace, name));
    if (this.leases.has(`${namespace}/${name}`)) throw kubeError(409, leaseOp('create', namespace, name), 'already exists');
    const stored = { ...record, resourceVersion: this.nextVersion() };
    this.leases.set(`${namespace}/${name}`, stored);
    return { ...stored };
  }

  async replaceLease(namespace: string, name: string, record: LeaseRecord): Promise<LeaseRecord> {
    this.enter('replaceLease', [namespace, name, record], leaseOp('update', namespace, name));
    const cur = this.leases.get(`${namespace}/${name}`);
    if (!cur) throw kubeError(404, leaseOp('update', namespace, name));
    if (record.resourceVersion !== cur.resourceVersion) throw kubeError(409, leaseOp('update', namespace, name));
    const stored = { ...record, resourceVersion: this.nextVersion() };
    this.leases.set(`${namespace}/${name}`, stored);
    return { ...stored };
  }

  async readConfigMap(namespace: string, name: string): Promise<ConfigMapRecord | null> {
    this.enter('readConfigMap', [namespace, name], configMapOp('get', namespace, name));
    const c = this.configMaps.get(`${namespace}/${name}`);
    return c ? structuredClone(c) : null;
  }

  async createConfigMap(namespace: string, name: string, data: Record<string, string>): Promise<ConfigMapRecord> {
    this.enter('createConfigMap', [namespace, name, data], configMapOp('create', namespace, name));
    if (this.configMaps.has(`${namespace}/${name}`)) throw kubeError(409, configMapOp('create', namespace, name), 'already exists');
    const stored = { data: { ...data }, resourceVersion: this.nextVersion() };
    this.configMaps.set(`${namespace}/${name}`, stored);
    return structuredClone(stored);
  }

  async replaceConfigMap(namespace: string, name: string, record: ConfigMapRecord): Promise<ConfigMapRecord> {
    this.enter('replaceConfigMap', [namespace, name, record], configMapOp('update', namespace, name));
    const cur = this.configMaps.get(`${namespace}/${name}`);
    if (!cur) throw kubeError(404, configMapOp('update', namespace, name));
    if (record.resourceVersion !== cur.resourceVersion) throw kubeError(409, configMapOp('update', namespace, name));
    const stored = { data: { ...record.data }, resourceVersion: this.nextVersion() };
    this.configMaps.set(`${namespace}/${name}`, stored);
    return structuredClone(stored);
  }

  private enter(method: Method, args: unknown[], o: KubeOperation): void {
    this.calls.push({ method, args });
    const queue = this.failures.get(method);
    const fault = queue?.shift();
    if (fault !== undefined) throw kubeError(fault.status, o, 'injected', fault.retryAfterSeconds);
  }

  private nextVersion(): string {
    return String(this.version++);
  }
}

const key = (ref: WorkloadRef) => `${ref.kind}/${ref.namespace}/${ref.name}`;
