/**
 * Measures pod start-up from the cluster: when a workload's spec.replicas goes up (whoever raised it),
 * the time until readyReplicas catches up is one sample. The planner's lead time uses the median of the
 * recent samples, so one slow image pull does not move it much. Pure: the caller passes the clock.
 */

interface Pending {
  sinceMs: number;
  wanted: number;
}

export class StartupTracker {
  private readonly samples: number[] = [];
  private pending: Pending | null = null;
  private lastSpec: number | null = null;

  constructor(private readonly maxSamples = 15) {}

  /** Feeds one observation (every read); returns the measured start-up (s) once known, else undefined. */
  observe(nowMs: number, specReplicas: number, readyReplicas: number): number | undefined {
    if (this.lastSpec !== null && specReplicas > this.lastSpec) {
      // A new increase during a pending one keeps the earlier start: the pods asked first are still starting.
      this.pending = { sinceMs: this.pending?.sinceMs ?? nowMs, wanted: specReplicas };
    }
    if (this.pending && specReplicas < this.pending.wanted) this.pending = specReplicas > readyReplicas ? { ...this.pending, wanted: specReplicas } : null;
    if (this.pending && readyReplicas >= this.pending.wanted) {
      this.samples.push((nowMs - this.pending.sinceMs) / 1000);
      if (this.samples.length > this.maxSamples) this.samples.shift();
      this.pending = null;
    }
    this.lastSpec = specReplicas;
    return this.median();
  }

  /** Marks an increase the agent itself made (more precise than waiting for the next read). */
  scaledUp(nowMs: number, from: number, to: number): void {
    if (to <= from) return;
    this.pending = { sinceMs: this.pending?.sinceMs ?? nowMs, wanted: to };
    this.lastSpec = to;
  }

  median(): number | undefined {
    if (this.samples.length === 0) return undefined;
    const s = [...this.samples].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  }
}
