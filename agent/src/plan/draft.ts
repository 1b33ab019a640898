/**
 * The decision being built: each rule reads the draft, may change the replica count, and records why.
 * Keeping the bookkeeping here lets every rule file be a few lines of arithmetic.
 */
import type { TargetConfig } from '../config/schema';
import type { ProtectionKind, Reason } from './types';

export class Draft {
  readonly reasons: Reason[] = [];
  readonly protections: ProtectionKind[] = [];
  /** The count before each reason's rule ran (parallel to `reasons`): what a protection added is measured from it. */
  readonly before: number[] = [];

  constructor(public desired: number) {}

  /** Sets the count and records the rule that set it. */
  set(rule: string, replicas: number, detail: string): void {
    this.before.push(this.desired);
    this.desired = replicas;
    this.reasons.push({ rule, replicas, detail });
  }

  /** Records a rule's view without changing the count (e.g. a predictive answer below the reactive one). */
  note(rule: string, replicas: number, detail: string): void {
    this.before.push(this.desired);
    this.reasons.push({ rule, replicas, detail });
  }

  protect(kind: ProtectionKind): void {
    if (!this.protections.includes(kind)) this.protections.push(kind);
  }

  /** Raises the count to at least `replicas` (recorded only when it binds). */
  atLeast(rule: string, replicas: number, detail: string): void {
    if (this.desired < replicas) this.set(rule, replicas, detail);
  }
}

/** Replicas that serve `load` at the target's utilisation (ceil, robust to float noise). */
export function replicasFor(load: number, capacityPerPod: number, utilization: number): number {
  return Math.max(0, Math.ceil(load / (capacityPerPod * utilization) - 1e-9));
}

export function replicasForTarget(load: number, target: TargetConfig): number {
  return replicasFor(load, target.capacityPerPod, target.targetUtilization);
}

export const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(1));
