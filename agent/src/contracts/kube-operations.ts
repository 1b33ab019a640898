/**
 * The operations the agent asks of the API server, named as RBAC names them: one builder per kind of
 * object, shared by the real client adapter and the in-memory API so both report failures alike.
 */
import type { WorkloadRef } from './kube-api';
import type { KubeOperation } from './kube-errors';

type Verb = KubeOperation['verb'];

const plural = (ref: WorkloadRef) => (ref.kind === 'Deployment' ? 'deployments' : 'statefulsets');

/** A Deployment or StatefulSet, or one of its subresources (`sub`: "/scale"). */
export const workloadOp = (verb: Verb, ref: WorkloadRef, sub = ''): KubeOperation => ({
  verb,
  resource: plural(ref) + sub,
  group: 'apps',
  namespace: ref.namespace,
  name: ref.name,
});

export const leaseOp = (verb: Verb, namespace: string, name: string): KubeOperation => ({
  verb,
  resource: 'leases',
  group: 'coordination.k8s.io',
  namespace,
  name,
});

export const configMapOp = (verb: Verb, namespace: string, name: string): KubeOperation => ({
  verb,
  resource: 'configmaps',
  group: '',
  namespace,
  name,
});
