/**
 * An in-memory cluster: remembers replicas per target and makes new pods ready after the target's
 * start-up time on the injected clock. The scaler when there is no cluster (kubernetes.connection "none"): the demo, replays and tests.
 */
import type { TargetConfig } from '../config/schema';
import type { Decision } from '../plan/types';
import type { PodResources } from '../config/pricing-config';
import type { ScaleResult, Scaler, WorkloadState } from '../contracts/scaler';

interface Workload {
  replicas: number;
  /** Pods asked for, each with the instant it becomes ready. */
  pods: number[];
  generation: number;
}

export class InMemoryScaler implements Scaler {
  readonly kind = 'in-memory';
  private readonly workloads = new Map<string, Workload>();

  /**
   * `podRequests`: what each target's pods request in this pretend cluster (by target id). Unset, the
   * workload has no spec to read, and prices fall back to the target's cost.podRequests.
   */
  constructor(
    private readonly now: () => number,
    private readonly podRequests: Record<string, PodResources> = {},
  ) {}

  private workload(target: TargetConfig): Workload {
    let w = this.workloads.get(target.id);
    if (!w) {
      const start = target.minReplicas;
      w = { replicas: start, pods: new Array<number>(start).fill(0), generation: 1 };
      this.workloads.set(target.id, w);
    }
    return w;
  }

  async read(target: TargetConfig): Promise<WorkloadState> {
    const w = this.workload(target);
    const now = this.now();
    const requests = this.podRequests[target.id];
    // Counted, not filtered: read every tick, and a workload may have hundreds of pods.
    let ready = 0;
    for (const readyAt of w.pods) if (readyAt <= now) ready++;
    return {
      replicas: w.replicas,
      readyReplicas: ready,
      generation: w.generation,
      ...(requests ? { podRequests: requests } : {}),
    };
  }

  async apply(target: TargetConfig, decision: Decision): Promise<ScaleResult> {
    const w = this.workload(target);
    const want = decision.desiredReplicas;
    if (want === w.replicas) return { ok: true, changed: false, replicas: want };
    const readyAt = this.now() + target.podStartupSeconds * 1000;
    // Removals act at once (newest pods first); additions become ready after start-up.
    w.pods = want < w.replicas ? w.pods.slice(0, want) : [...w.pods, ...new Array<number>(want - w.replicas).fill(readyAt)];
    w.replicas = want;
    return { ok: true, changed: true, replicas: want };
  }
}
