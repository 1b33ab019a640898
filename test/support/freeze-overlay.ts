/**
 * The admission overlay's objects (agent/deploy/overlays/admission) and the base's RBAC, as shipped,
 * moved into a real-server test's own namespaces: the agent's namespace `wedsync` and the targets'
 * namespace `weddings` become the test's, and the cluster-scoped policy and binding get the agent
 * namespace as a suffix so test files never share them. Nothing else changes: the CEL, the rules, the
 * parameter's shape are the files' own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './real-cluster';

const DEPLOY = join(__dirname, '..', '..', 'agent', 'deploy');
const docs = (file: string): KubeObject[] =>
  parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8'))
    .map((d) => d.toJS() as KubeObject)
    .filter(Boolean);

export const SHIPPED_AGENT_NAMESPACE = 'wedsync';
export const SHIPPED_TARGET_NAMESPACE = 'weddings';

export interface FreezeObjects {
  policyName: string;
  objects: KubeObject[];
}

/** `agentNs` replaces wedsync, `targetNs` replaces weddings. */
export function freezeOverlayObjects(agentNs: string, targetNs: string): FreezeObjects {
  const policyName = `wedsync-deploy-freeze-${agentNs}`;
  const ns = (n: unknown) => (n === SHIPPED_AGENT_NAMESPACE ? agentNs : n === SHIPPED_TARGET_NAMESPACE ? targetNs : n);
  const objects = [
    ...docs('base/serviceaccount.yaml'),
    ...docs('base/rbac.yaml'),
    ...docs('overlays/admission/rbac-freeze.yaml'),
    ...docs('overlays/admission/freeze-configmap.yaml'),
    ...docs('overlays/admission/policy.yaml'),
    ...docs('overlays/admission/binding.yaml'),
  ].map((o) => {
    const x = structuredClone(o) as KubeObject & { spec?: any; subjects?: any[] };
    if (x.metadata.namespace) x.metadata.namespace = ns(x.metadata.namespace) as string;
    for (const s of x.subjects ?? []) s.namespace = ns(s.namespace);
    if (x.kind === 'ValidatingAdmissionPolicy') {
      x.metadata.name = policyName;
      for (const v of x.spec.variables)
        v.expression = String(v.expression).replace(`system:serviceaccount:${SHIPPED_AGENT_NAMESPACE}:`, `system:serviceaccount:${agentNs}:`);
    }
    if (x.kind === 'ValidatingAdmissionPolicyBinding') {
      x.metadata.name = policyName;
      x.spec.policyName = policyName;
      x.spec.paramRef.namespace = agentNs;
      for (const e of x.spec.matchResources.namespaceSelector.matchExpressions) e.values = e.values.map(ns);
    }
    return x;
  });
  return { policyName, objects };
}
