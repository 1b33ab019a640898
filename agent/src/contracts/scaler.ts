/** The hands: what applies a decision to a workload. The in-memory cluster (in-memory-scaler.ts) is also the demo's. */
import type { TargetConfig } from '../config/schema';
import type { Decision } from '../plan/types';
import type { PodResources } from '../config/pricing-config';

export interface WorkloadState {
  replicas: number;
  readyReplicas: number;
  /** metadata.generation of the workload, when known (a change during a freeze is a deploy). */
  generation?: number;
  /** Pod start-up measured from the cluster (replica increase → ready, median of recent), when known. */
  measuredStartupSeconds?: number;
  /** One pod's requests from the workload spec (summed over containers), when every container states them. */
  podRequests?: PodResources;
  /** The HorizontalPodAutoscaler the agent sets a floor on, when the target has one (Kubernetes scaler). */
  hpa?: { name: string; minReplicas: number; maxReplicas: number; currentReplicas?: number; desiredReplicas?: number };
}

/**
 * What applying a decision really did. `changed` is true only when the cluster was written to: false when
 * the workload already matched, and when the agent's mode (dry-run, shadow) held the change back — the
 * loop counts and logs real changes only.
 */
export type ScaleResult = { ok: true; changed: boolean; replicas: number } | { ok: false; error: string };

export interface Scaler {
  readonly kind: string;
  read(target: TargetConfig): Promise<WorkloadState | { error: string }>;
  apply(target: TargetConfig, decision: Decision): Promise<ScaleResult>;
}
