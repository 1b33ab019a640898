/** The hands: what applies a decision to a workload. The dry-run scaler is also the demo's cluster. */
import type { TargetConfig } from '../config/schema';
import type { Decision } from '../plan/types';

export interface WorkloadState {
  replicas: number;
  readyReplicas: number;
  /** metadata.generation of the workload, when known (a change during a freeze is a deploy). */
  generation?: number;
}

export type ScaleResult =
  | { ok: true; changed: boolean; replicas: number }
  | { ok: false; error: string };

export interface Scaler {
  readonly kind: string;
  read(target: TargetConfig): Promise<WorkloadState | { error: string }>;
  apply(target: TargetConfig, decision: Decision): Promise<ScaleResult>;
}
