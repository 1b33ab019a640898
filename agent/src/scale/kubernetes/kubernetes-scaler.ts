/**
 * The Kubernetes hands. With an HPA on the target the agent raises and lowers the HPA's minReplicas (a
 * floor) and lets the HPA scale reactively above it; without one it patches the workload's `scale`
 * subresource. Double ownership it cannot resolve is refused. 409s are retried after a re-read; every
 * change and every refusal becomes an Event on the target; failures come back as values, never throws.
 */
import type { TargetConfig } from '../../config/schema';
import type { Decision } from '../../plan/types';
import type { ScaleResult, Scaler, WorkloadState } from '../../contracts/scaler';
import { retryOnConflict } from '../../contracts/kube-errors';
import type { EventRecorder } from './event-recorder';
import type { KubeApi, WorkloadRef } from '../../contracts/kube-api';
import { resolveOwnership } from './ownership';
import { StartupTracker } from './startup-tracker';

export class KubernetesScaler implements Scaler {
  readonly kind = 'kubernetes';
  private readonly trackers = new Map<string, StartupTracker>();
  private readonly uids = new Map<string, string | undefined>();
  /** What read() just saw, per target: the first apply() attempt after it writes against it without asking again. */
  private readonly lastRead = new Map<string, WorkloadSnapshot>();
  /** Last refusal per target, so a refusal that persists is one Event, not one per tick. */
  private readonly refusals = new Map<string, string>();

  constructor(
    private readonly api: KubeApi,
    private readonly events: EventRecorder,
    private readonly clock: () => number,
  ) {}

  async read(target: TargetConfig): Promise<WorkloadState | { error: string }> {
    const ref = target.kubernetes;
    try {
      const [w, hpas] = await both(this.api.readWorkload(ref), this.api.listHpas(ref.namespace));
      this.uids.set(target.id, w.uid);
      this.lastRead.set(target.id, [w, hpas]);
      const measured = this.tracker(target.id).observe(this.clock(), w.specReplicas, w.readyReplicas);
      const owner = resolveOwnership(ref, hpas);
      const state: WorkloadState = { replicas: w.specReplicas, readyReplicas: w.readyReplicas, generation: w.generation };
      if (measured !== undefined) state.measuredStartupSeconds = measured;
      if (w.podRequests) state.podRequests = w.podRequests;
      if (owner.kind === 'hpa') {
        const h = owner.hpa;
        state.hpa = {
          name: h.name,
          minReplicas: h.minReplicas,
          maxReplicas: h.maxReplicas,
          currentReplicas: h.currentReplicas,
          desiredReplicas: h.desiredReplicas,
        };
      }
      return state;
    } catch (err) {
      return { error: (err as Error).message };
    }
  }

  async apply(target: TargetConfig, decision: Decision): Promise<ScaleResult> {
    const ref: WorkloadRef & { uid?: string } = { ...target.kubernetes, uid: this.uids.get(target.id) };
    const why = decision.reasons.map((r) => `${r.rule}: ${r.detail}`).join('; ') || 'no reason given';
    // The loop reads, plans and applies in one tick: the first attempt uses that read; a 409 means it is out of date.
    let seen = this.lastRead.get(target.id);
    this.lastRead.delete(target.id);
    try {
      return await retryOnConflict(async () => {
        const snapshot = seen ?? (await both(this.api.readWorkload(ref), this.api.listHpas(ref.namespace)));
        seen = undefined;
        return this.applyOnce(target, ref, snapshot, decision.desiredReplicas, why);
      });
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }

  private async applyOnce(
    target: TargetConfig,
    ref: WorkloadRef & { uid?: string },
    [w, hpas]: WorkloadSnapshot,
    desired: number,
    why: string,
  ): Promise<ScaleResult> {
    const owner = resolveOwnership(ref, hpas);
    if (owner.kind === 'refused') {
      if (this.refusals.get(target.id) !== owner.error) await this.events.record(ref, 'WedSyncScaleRefused', owner.error, 'Warning');
      this.refusals.set(target.id, owner.error);
      return { ok: false, error: owner.error };
    }
    this.refusals.delete(target.id);

    if (owner.kind === 'hpa') {
      const hpa = owner.hpa;
      // An HPA floor is at least 1 and at most its own maxReplicas: above that the agent would be fighting it.
      const floor = Math.min(Math.max(desired, 1), hpa.maxReplicas);
      if (floor === hpa.minReplicas) return { ok: true, changed: false, replicas: Math.max(w.specReplicas, floor) };
      await this.api.patchHpaMinReplicas(hpa.namespace, hpa.name, floor, hpa.resourceVersion);
      if (floor > w.specReplicas) this.tracker(target.id).scaledUp(this.clock(), w.specReplicas, floor);
      const capped = floor < desired ? ` (capped at the HPA's maxReplicas ${hpa.maxReplicas}; wanted ${desired})` : '';
      await this.events.record(
        ref,
        floor > hpa.minReplicas ? 'WedSyncFloorRaised' : 'WedSyncFloorLowered',
        `HPA ${hpa.name} minReplicas ${hpa.minReplicas} → ${floor}${capped}: ${why}`,
      );
      return { ok: true, changed: true, replicas: Math.max(w.specReplicas, floor) };
    }

    if (desired === w.specReplicas) return { ok: true, changed: false, replicas: desired };
    await this.api.patchWorkloadReplicas(ref, desired);
    if (desired > w.specReplicas) this.tracker(target.id).scaledUp(this.clock(), w.specReplicas, desired);
    await this.events.record(
      ref,
      desired > w.specReplicas ? 'WedSyncScaledUp' : 'WedSyncScaledDown',
      `${ref.kind} ${ref.name} replicas ${w.specReplicas} → ${desired}: ${why}`,
    );
    return { ok: true, changed: true, replicas: desired };
  }

  private tracker(id: string): StartupTracker {
    let t = this.trackers.get(id);
    if (!t) this.trackers.set(id, (t = new StartupTracker()));
    return t;
  }
}

type WorkloadSnapshot = [Awaited<ReturnType<KubeApi['readWorkload']>>, Awaited<ReturnType<KubeApi['listHpas']>>];

/** Both results, or the first error — but only once both calls have settled (no request left in flight). */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}
