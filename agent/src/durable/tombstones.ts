/**
 * Deleted overrides stay deleted. A delete is a delta like any other (merge.ts), but a delta alone cannot
 * stop a replica that still holds the override, and has not seen the delete, from storing it again: a
 * replica whose writes were lost, one that pushes everything it holds after the document was started anew,
 * a round that raced the delete. So each delete leaves a tombstone in the document, and an override with a
 * tombstone is never stored or adopted again. Pure functions.
 *
 * A tombstone is kept until the override it buries would have expired (its `untilMs`): after that the
 * override is dropped as expired anyway, whoever holds it. Override ids are random UUIDs, so a tombstone
 * never buries a later override. At most MAX_TOMBSTONES are kept; past that the ones that expire soonest
 * give way first (the override they bury had the least time left).
 */
import type { Override } from '../plan/types';

export interface DeletedOverride {
  id: string;
  /** When the deleted override would have expired: the tombstone is kept until then. */
  untilMs: number;
  deletedAtMs: number;
}

export const MAX_TOMBSTONES = 2000;

/** This replica's deletes since its last round: overrides it held then and holds no more, still in force. */
export function localDeletions(lastLocal: ReadonlyMap<string, Override>, local: readonly Override[], nowMs: number): DeletedOverride[] {
  const held = new Set(local.map((o) => o.id));
  return [...lastLocal.values()].filter((o) => !held.has(o.id) && o.untilMs > nowMs).map((o) => ({ id: o.id, untilMs: o.untilMs, deletedAtMs: nowMs }));
}

/** Both sides' tombstones, one per id (the first delete), those still needed, the latest-expiring `cap` kept. */
export function mergeTombstones(remote: readonly DeletedOverride[], local: readonly DeletedOverride[], nowMs: number, cap = MAX_TOMBSTONES): DeletedOverride[] {
  const byId = new Map<string, DeletedOverride>();
  for (const t of [...remote, ...local]) {
    const had = byId.get(t.id);
    if (!had || t.deletedAtMs < had.deletedAtMs) byId.set(t.id, t);
  }
  const live = [...byId.values()].filter((t) => t.untilMs > nowMs).sort((a, b) => b.untilMs - a.untilMs || a.id.localeCompare(b.id));
  return live.slice(0, cap).sort((a, b) => a.id.localeCompare(b.id));
}

export function withoutDeleted(overrides: readonly Override[], tombstones: readonly DeletedOverride[]): Override[] {
  const dead = new Set(tombstones.map((t) => t.id));
  return overrides.filter((o) => !dead.has(o.id));
}
