/**
 * Who scales a workload. With one plain HPA the agent only moves its floor (minReplicas) and leaves
 * reactive scaling to it; with none it sets the replicas itself. Anything it would fight — two HPAs,
 * an HPA that KEDA (or another controller) owns — is refused with an error that says what to change.
 */
import type { HpaSnapshot, WorkloadRef } from '../../contracts/kube-api';

export type Ownership = { kind: 'hpa'; hpa: HpaSnapshot } | { kind: 'scale' } | { kind: 'refused'; error: string };

export function hpasFor(ref: WorkloadRef, hpas: HpaSnapshot[]): HpaSnapshot[] {
  return hpas.filter((h) => h.namespace === ref.namespace && h.targetKind === ref.kind && h.targetName === ref.name);
}

export function resolveOwnership(ref: WorkloadRef, allHpas: HpaSnapshot[]): Ownership {
  const hpas = hpasFor(ref, allHpas);
  const what = `${ref.kind} ${ref.namespace}/${ref.name}`;
  if (hpas.length === 0) return { kind: 'scale' };
  if (hpas.length > 1)
    return {
      kind: 'refused',
      error: `double ownership: ${what} is the scaleTargetRef of ${hpas.length} HorizontalPodAutoscalers (${hpas.map((h) => h.name).join(', ')}); they fight each other and the agent will not join in — delete all but one`,
    };
  const hpa = hpas[0];
  const keda = hpa.ownerKinds.includes('ScaledObject') || Object.keys(hpa.labels).some((k) => k.startsWith('scaledobject.keda.sh/'));
  if (keda)
    return {
      kind: 'refused',
      error: `double ownership: HorizontalPodAutoscaler ${hpa.name} for ${what} is managed by a KEDA ScaledObject, which would undo any floor the agent sets; set minReplicaCount on the ScaledObject instead or drop the target from the agent`,
    };
  if (hpa.ownerKinds.length > 0)
    return {
      kind: 'refused',
      error: `double ownership: HorizontalPodAutoscaler ${hpa.name} for ${what} is owned by ${hpa.ownerKinds.join(', ')}, which would revert the agent's changes`,
    };
  return { kind: 'hpa', hpa };
}
