/**
 * The agent's modes, as a wrapper around a real scaler. `act` passes decisions through; `dry-run` and
 * `shadow` read the cluster but change nothing: apply() records what the agent would have done and
 * reports "unchanged". (Shadow mode additionally compares each decision with what the HPA did — see
 * shadow-report.ts.) With no cluster at all (connection "none") the in-memory cluster is used instead.
 */
import type { TargetConfig } from '../config/schema';
import type { Decision } from '../plan/types';
import type { ScaleResult, Scaler, WorkloadState } from '../contracts/scaler';

export type AgentMode = 'act' | 'dry-run' | 'shadow';

export interface WouldScale {
  targetId: string;
  atMs: number;
  from: number;
  to: number;
  reasons: string[];
}

export class ModeScaler implements Scaler {
  readonly kind: string;
  /** The last change the agent held back, per target (dry-run and shadow). */
  readonly heldBack = new Map<string, WouldScale>();

  constructor(
    private readonly inner: Scaler,
    readonly mode: AgentMode,
    private readonly onHeldBack?: (w: WouldScale) => void,
  ) {
    this.kind = mode === 'act' ? inner.kind : `${inner.kind}:${mode}`;
  }

  read(target: TargetConfig): Promise<WorkloadState | { error: string }> {
    return this.inner.read(target);
  }

  async apply(target: TargetConfig, decision: Decision): Promise<ScaleResult> {
    if (this.mode === 'act') return this.inner.apply(target, decision);
    const w: WouldScale = {
      targetId: target.id,
      atMs: decision.atMs,
      from: decision.currentReplicas,
      to: decision.desiredReplicas,
      reasons: decision.reasons.map((r) => r.rule),
    };
    this.heldBack.set(target.id, w);
    this.onHeldBack?.(w);
    return { ok: true, changed: false, replicas: decision.currentReplicas };
  }
}
