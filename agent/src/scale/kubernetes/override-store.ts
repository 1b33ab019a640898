/**
 * Operator overrides persisted in the cluster, as a JSON annotation on each target workload, so they
 * survive restarts and leader changes. The annotation is the shared truth between replicas: each round
 * a replica pushes the overrides added or removed locally since its last round (the API may have written
 * to either replica), pulls what others wrote, drops expired entries and writes back only on change,
 * guarded by resourceVersion (a 409 re-reads and merges again).
 */
import type { TargetConfig } from '../../config/schema';
import type { Override } from '../../plan/types';
import type { AgentState } from '../../state';
import type { Logger } from '../../util/logger';
import { retryOnConflict } from './errors';
import type { KubeApi } from './kube-api';

export const OVERRIDES_ANNOTATION = 'wedsync.io/overrides';

export interface OverrideStoreOptions {
  logger?: Logger;
  annotation?: string;
  /** Dry-run and shadow modes: load overrides from the cluster, never write the annotation. */
  readOnly?: boolean;
  onFailure?: () => void;
}

const TYPES = new Set(['pin', 'floor', 'freeze']);

export class OverrideStore {
  /** Per target: the overrides as last written to or read from the annotation. */
  private readonly synced = new Map<string, Map<string, Override>>();
  failures = 0;
  private readonly annotation: string;
  private readonly logger?: Logger;

  constructor(
    private readonly api: KubeApi,
    private readonly targets: TargetConfig[],
    private readonly state: AgentState,
    private readonly clock: () => number,
    private readonly opts: OverrideStoreOptions = {},
  ) {
    this.annotation = opts.annotation ?? OVERRIDES_ANNOTATION;
    this.logger = opts.logger;
  }

  /** One round for every target; failures are logged and counted, and the target retries next round. */
  async sync(): Promise<void> {
    await Promise.all(
      this.targets.map((t) =>
        this.syncTarget(t).catch((err: Error) => {
          this.failures++;
          this.opts.onFailure?.();
          this.logger?.warn({ target: t.id, err: err.message }, 'could not sync overrides with the cluster');
        }),
      ),
    );
  }

  private async syncTarget(target: TargetConfig): Promise<void> {
    const startLocal = this.local(target.id);
    const base = this.synced.get(target.id) ?? new Map<string, Override>();
    const added = startLocal.filter((o) => !base.has(o.id));
    const removed = new Set([...base.keys()].filter((id) => !startLocal.some((o) => o.id === id)));

    const { merged, stored } = await retryOnConflict(async () => {
      const w = await this.api.readWorkload(target.kubernetes);
      const raw = w.annotations[this.annotation];
      const now = this.clock();
      const remote = this.parse(raw, target.id);
      const byId = new Map(remote.map((o) => [o.id, o]));
      for (const id of removed) byId.delete(id);
      for (const o of added) byId.set(o.id, o);
      const live = [...byId.values()].filter((o) => o.untilMs > now).sort((a, b) => a.id.localeCompare(b.id));
      const text = live.length ? JSON.stringify(live) : null;
      if (this.opts.readOnly) return { merged: live, stored: remote };
      if (text !== (raw ?? null)) await this.api.patchWorkloadAnnotations(target.kubernetes, { [this.annotation]: text }, w.resourceVersion);
      return { merged: live, stored: live };
    });

    // The API may have changed this target's overrides while we talked to the cluster: keep those edits
    // (they are pushed next round) on top of what the annotation now holds.
    const startIds = new Set(startLocal.map((o) => o.id));
    const fresh = this.local(target.id);
    const freshIds = new Set(fresh.map((o) => o.id));
    const late = fresh.filter((o) => !startIds.has(o.id));
    const finalList = [...merged.filter((o) => !(startIds.has(o.id) && !freshIds.has(o.id))), ...late];
    this.state.overrides = [...this.state.overrides.filter((o) => o.targetId !== target.id), ...finalList];
    this.synced.set(target.id, new Map(stored.map((o) => [o.id, o])));
  }

  private local(targetId: string): Override[] {
    return this.state.overrides.filter((o) => o.targetId === targetId);
  }

  /** Entries that are not well-formed overrides for this target are dropped (and logged), never trusted. */
  private parse(raw: string | undefined, targetId: string): Override[] {
    if (!raw) return [];
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      this.logger?.warn({ target: targetId, annotation: this.annotation }, 'override annotation is not JSON; replacing it');
      return [];
    }
    if (!Array.isArray(data)) return [];
    const entries = data as Array<Partial<Override> | null>;
    return entries.filter((o): o is Override => {
      const ok =
        !!o &&
        typeof o.id === 'string' &&
        o.targetId === targetId &&
        o.type !== undefined &&
        TYPES.has(o.type) &&
        Number.isFinite(o.untilMs) &&
        (o.type === 'freeze' || (Number.isInteger(o.replicas) && (o.replicas ?? -1) >= 0)) &&
        typeof o.reason === 'string';
      if (!ok) this.logger?.warn({ target: targetId, entry: o }, 'dropping a malformed override from the annotation');
      return ok;
    });
  }
}
