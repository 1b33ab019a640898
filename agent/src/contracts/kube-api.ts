/**
 * The small slice of the Kubernetes API the actuator uses, as plain data. The real implementation
 * (client-adapter.ts) wraps @kubernetes/client-node, which is ESM-only and loaded lazily; everything
 * else (scaler, leader election, the durable state) talks to this interface, so it is tested against the
 * in-memory cluster without loading the client at all.
 */

export type WorkloadKind = 'Deployment' | 'StatefulSet';

export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

export interface WorkloadSnapshot {
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  /** spec.replicas: what the workload asks for. */
  specReplicas: number;
  readyReplicas: number;
  annotations: Record<string, string>;
  /** One pod's requests from spec.template (cpu in vCPUs, memory in GiB), when every container states both. */
  podRequests?: { cpu: number; memoryGiB: number };
  /** Who last set each annotation: the managedFields manager owning it (break glass: who). */
  annotationManagers?: Record<string, string>;
}

export interface HpaSnapshot {
  namespace: string;
  name: string;
  resourceVersion?: string;
  minReplicas: number;
  maxReplicas: number;
  currentReplicas?: number;
  desiredReplicas?: number;
  /** spec.scaleTargetRef. */
  targetKind: string;
  targetName: string;
  /** metadata.ownerReferences kinds, e.g. "ScaledObject" for an HPA KEDA manages. */
  ownerKinds: string[];
  labels: Record<string, string>;
}

export interface LeaseRecord {
  holderIdentity: string | null;
  leaseDurationSeconds: number | null;
  acquireTimeMs: number | null;
  renewTimeMs: number | null;
  leaseTransitions: number;
  resourceVersion?: string;
}

export interface KubeEvent {
  involved: WorkloadRef & { uid?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  atMs: number;
}

/** A ConfigMap's data and version (the agent's own state lives in one: durable/configmap-backend.ts; the deploy freeze's admission parameter is another). */
export interface ConfigMapRecord {
  data: Record<string, string>;
  resourceVersion?: string;
}

export interface KubeApi {
  readWorkload(ref: WorkloadRef): Promise<WorkloadSnapshot>;
  listHpas(namespace: string): Promise<HpaSnapshot[]>;
  /** Merge patch on autoscaling/v2; with `resourceVersion` the server refuses (409) a stale write. */
  patchHpaMinReplicas(namespace: string, name: string, minReplicas: number, resourceVersion?: string): Promise<void>;
  /** Merge patch on the workload's `scale` subresource. */
  patchWorkloadReplicas(ref: WorkloadRef, replicas: number): Promise<void>;
  /** Merge patch of metadata.annotations (null deletes a key), guarded by resourceVersion. */
  patchWorkloadAnnotations(ref: WorkloadRef, annotations: Record<string, string | null>, resourceVersion?: string): Promise<void>;
  createEvent(event: KubeEvent): Promise<void>;
  /** null when the Lease does not exist. */
  readLease(namespace: string, name: string): Promise<LeaseRecord | null>;
  createLease(namespace: string, name: string, record: LeaseRecord): Promise<LeaseRecord>;
  /** Replaces the Lease; record.resourceVersion makes a stale write fail with 409. */
  replaceLease(namespace: string, name: string, record: LeaseRecord): Promise<LeaseRecord>;
  /** null when the ConfigMap does not exist. */
  readConfigMap(namespace: string, name: string): Promise<ConfigMapRecord | null>;
  /** 409 when it already exists (another replica created it first). */
  createConfigMap(namespace: string, name: string, data: Record<string, string>, labels?: Record<string, string>): Promise<ConfigMapRecord>;
  /** Replaces the data; resourceVersion makes a stale write fail with 409. */
  replaceConfigMap(namespace: string, name: string, record: ConfigMapRecord, labels?: Record<string, string>): Promise<ConfigMapRecord>;
  /** Up to `limit` nodes' providerID and labels (identity detection; optional permission, see identity/). */
  listNodes?(limit: number): Promise<Array<{ providerID?: string; labels: Record<string, string> }>>;
}
