/**
 * How two replicas (or a replica and its past self) agree on the durable document. Pure functions.
 *
 * Keyed sets (overrides by id, open pages by dedup key) merge as deltas: each replica pushes only what it
 * added or removed since its own last round, on top of what the store holds now. An entry another replica
 * removed therefore stays removed, and one it added stays added, whatever this replica last saw.
 * The audit trail only grows: the union of both sides, oldest first, the newest `cap` kept.
 */
import type { AuditEntry } from '../state';

export function mergeKeyed<T>(remote: readonly T[], local: readonly T[], lastLocal: ReadonlyMap<string, T>, key: (t: T) => string): T[] {
  const localKeys = new Set(local.map(key));
  const byKey = new Map(remote.map((t) => [key(t), t]));
  for (const k of lastLocal.keys()) if (!localKeys.has(k)) byKey.delete(k);
  for (const t of local) if (!lastLocal.has(key(t))) byKey.set(key(t), t);
  return [...byKey.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

/** Identity of an audit entry: the same change recorded on two replicas is one entry. */
export function auditKey(e: AuditEntry): string {
  return JSON.stringify([e.atMs, e.actor, e.action, e.targetId ?? null, e.detail]);
}

export function mergeAudit(remote: readonly AuditEntry[], local: readonly AuditEntry[], cap: number): AuditEntry[] {
  const byKey = new Map<string, AuditEntry>();
  for (const e of [...remote, ...local]) byKey.set(auditKey(e), e);
  const all = [...byKey.values()].sort((a, b) => a.atMs - b.atMs);
  return all.slice(Math.max(0, all.length - cap));
}

export const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
