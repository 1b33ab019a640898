/**
 * How two replicas (or a replica and its past self) agree on the durable document. Pure functions.
 *
 * Keyed sets (overrides by id, open pages by dedup key) merge as deltas: each replica pushes only what it
 * added or removed since its own last round, on top of what the store holds now. An entry another replica
 * removed therefore stays removed, and one it added stays added, whatever this replica last saw.
 * The audit trail only grows: the union of both sides, oldest first, the newest `cap` kept. Calendar
 * summaries and confirmations: see mergeCalendarSummaries and mergeCalendarConfirmations.
 */
import type { AuditEntry } from '../state';
import type { CalendarConfirmation } from '../calendar/calendar-memory';
import type { CalendarSummary } from '../calendar/drop-guard';

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

/**
 * Per calendar source, the summary of the calendar last in force. A replica pushes its summary only when it
 * changed since its own last round (it put another calendar in force); two changes race to the newest
 * `atMs`. A source this replica did not change keeps what the store holds.
 */
export function mergeCalendarSummaries(
  remote: Readonly<Record<string, CalendarSummary>>,
  local: ReadonlyMap<string, CalendarSummary>,
  lastLocal: ReadonlyMap<string, CalendarSummary>,
): Record<string, CalendarSummary> {
  const out: Record<string, CalendarSummary> = { ...remote };
  for (const [source, mine] of local) {
    if (sameJson(mine, lastLocal.get(source))) continue;
    const theirs = remote[source];
    if (!theirs || mine.atMs >= theirs.atMs) out[source] = mine;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Confirmations only grow, like the audit trail: the union of both sides, one per (source, fingerprint)
 * (the newest), oldest first. A confirmation only has to live until every replica has seen it, so those
 * older than `retentionMs` give way, and at most `cap` (the newest) are kept.
 */
export function mergeCalendarConfirmations(
  remote: readonly CalendarConfirmation[],
  local: readonly CalendarConfirmation[],
  nowMs: number,
  retentionMs: number,
  cap: number,
): CalendarConfirmation[] {
  const byKey = new Map<string, CalendarConfirmation>();
  for (const c of [...remote, ...local]) {
    const key = JSON.stringify([c.source, c.fingerprint]);
    const had = byKey.get(key);
    if (!had || c.atMs > had.atMs) byKey.set(key, c);
  }
  const kept = [...byKey.values()]
    .filter((c) => c.atMs > nowMs - retentionMs)
    .sort((a, b) => a.atMs - b.atMs || a.source.localeCompare(b.source) || a.fingerprint.localeCompare(b.fingerprint));
  return kept.slice(Math.max(0, kept.length - cap));
}
