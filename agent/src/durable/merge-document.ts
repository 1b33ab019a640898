/**
 * One round's merge, as a pure function: the stored document and this replica's changes since its last
 * round give the document to store. Each part merges on its own (merge.ts): keyed three-way merges for
 * overrides and open pages, newest-wins for the audit, tombstones so a delete stays deleted.
 */
import { randomUUID } from 'node:crypto';
import type { CalendarConfirmation } from '../calendar/calendar-memory';
import type { CalendarSummary } from '../calendar/drop-guard';
import type { OpenPage, PageSnapshot } from '../contracts/open-pages';
import type { Override } from '../plan/types';
import type { AuditEntry } from '../state';
import type { DurableDocument } from './durable-document';
import { mergeAudit, mergeCalendarConfirmations, mergeCalendarSummaries, mergeKeyed } from './merge';
import { SET_ASIDE_NOTICE_MS } from './set-aside';
import { localDeletions, mergeTombstones, withoutDeleted } from './tombstones';

/** A confirmation has to outlive the other replica's next round (seconds); a day covers a replica that was down. */
export const CONFIRMATION_RETENTION_MS = 86_400_000;
export const MAX_CONFIRMATIONS = 50;

/** What this replica holds as the round begins. */
export interface LocalChanges {
  overrides: readonly Override[];
  audit: readonly AuditEntry[];
  pages: ReadonlyMap<string, PageSnapshot>;
  calendars: ReadonlyMap<string, CalendarSummary>;
  confirmations: readonly CalendarConfirmation[];
}

/** What this replica held after its last round: the base its changes are taken against. */
export interface LastRound {
  overrides: ReadonlyMap<string, Override>;
  pages: ReadonlyMap<string, PageSnapshot>;
  calendars: ReadonlyMap<string, CalendarSummary>;
}

export interface MergeOptions {
  nowMs: number;
  /** Overrides after the last round, even across another line of history: a delete since then is a tombstone. */
  lastOverrides: ReadonlyMap<string, Override>;
  maxAuditEntries: number;
}

const overrideId = (o: Override) => o.id;
const pageKey = (p: OpenPage) => p.dedupKey;
const NO_PAGES: PageSnapshot = { open: [], memory: {} };

/** `base` is null when the stored document is another line of history: then everything local is pushed. */
export function mergeDocument(remote: DurableDocument, local: LocalChanges, base: LastRound | null, opts: MergeOptions): DurableDocument {
  const now = opts.nowMs;
  const deletedOverrides = mergeTombstones(remote.deletedOverrides, localDeletions(opts.lastOverrides, local.overrides, now), now);
  const next: DurableDocument = {
    overrides: withoutDeleted(mergeKeyed(remote.overrides, local.overrides, base?.overrides ?? new Map(), overrideId), deletedOverrides).filter(
      (o) => o.untilMs > now,
    ),
    deletedOverrides,
    audit: mergeAudit(remote.audit, local.audit, opts.maxAuditEntries),
    pages: { ...remote.pages },
    calendars: mergeCalendarSummaries(remote.calendars, local.calendars, base?.calendars ?? new Map()),
    calendarConfirmations: mergeCalendarConfirmations(remote.calendarConfirmations, local.confirmations, now, CONFIRMATION_RETENTION_MS, MAX_CONFIRMATIONS),
    documentId: remote.documentId ?? randomUUID(),
    setAside: remote.setAside && remote.setAside.atMs > now - SET_ASIDE_NOTICE_MS ? remote.setAside : null,
  };
  for (const [sink, mine] of local.pages) {
    const last = base?.pages.get(sink) ?? NO_PAGES;
    const theirs = remote.pages[sink] ?? NO_PAGES;
    const memoryChanged = JSON.stringify(mine.memory) !== JSON.stringify(last.memory);
    next.pages[sink] = {
      open: mergeKeyed(theirs.open, mine.open, new Map(last.open.map((p) => [pageKey(p), p])), pageKey),
      memory: memoryChanged || !remote.pages[sink] ? mine.memory : theirs.memory,
    };
  }
  return next;
}
