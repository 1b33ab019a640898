/**
 * The agent's own durable state as one JSON document: operator overrides, the recent audit trail, per
 * PagerDuty sink the pages PagerDuty holds open (with the conditions' start times), and per calendar
 * source a summary of the calendar last in force plus operators' recent confirmations of held updates. The same document
 * lives in a ConfigMap (with a cluster) or in a file (without). Decoding never trusts the stored text:
 * entries that are not well-formed are dropped and reported, never applied.
 */
import { z } from 'zod';
import type { Override } from '../plan/types';
import type { PageSnapshot } from '../contracts/open-pages';
import type { AuditEntry } from '../state';
import type { CalendarConfirmation } from '../calendar/calendar-memory';
import type { CalendarSummary } from '../calendar/drop-guard';
import type { DeletedOverride } from './tombstones';

export interface DurableDocument {
  overrides: Override[];
  audit: AuditEntry[];
  /** By PagerDuty sink name. */
  pages: Record<string, PageSnapshot>;
  /** By calendar source location: the calendar last in force (a summary, never the calendar itself). */
  calendars: Record<string, CalendarSummary>;
  /** Operators' confirmations of held calendar updates, oldest first (recent ones only; see merge.ts). */
  calendarConfirmations: CalendarConfirmation[];
  /** Overrides deleted while they were still in force, kept until they would have expired (tombstones.ts). */
  deletedOverrides: DeletedOverride[];
  /**
   * Names this document's line of history: a new one is drawn whenever a document is started from empty
   * (first start, or after an unreadable one was set aside). A replica that sees it change pushes
   * everything it holds again, instead of only its changes since a round against another document.
   */
  documentId: string | null;
  /** When the document before this one could not be read and was set aside (set-aside.ts); null otherwise. */
  setAside: SetAsideRecord | null;
}

export interface SetAsideRecord {
  atMs: number;
  /** Where the unreadable document was kept: a file path or a ConfigMap name. */
  keptAt: string;
  reason: string;
}

export const DOCUMENT_VERSION = 1;
export const emptyDocument = (): DurableDocument => ({
  overrides: [],
  audit: [],
  pages: {},
  calendars: {},
  calendarConfirmations: [],
  deletedOverrides: [],
  documentId: null,
  setAside: null,
});

const override = z
  .object({
    id: z.string().min(1),
    targetId: z.string().min(1),
    type: z.enum(['pin', 'floor', 'freeze']),
    replicas: z.number().int().min(0).optional(),
    untilMs: z.number().finite(),
    untilWeddingEnds: z.boolean().default(false),
    reason: z.string(),
    author: z.string().default('unknown'),
    createdAtMs: z.number().finite().default(0),
  })
  .refine((o) => o.type === 'freeze' || o.replicas !== undefined, { message: 'pin and floor need replicas' });

const auditEntry = z.object({
  atMs: z.number().finite(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  targetId: z.string().optional(),
  detail: z.record(z.string(), z.unknown()),
});

const openPage = z.object({
  dedupKey: z.string().min(1),
  kind: z.string().min(1),
  severity: z.string().min(1),
  summary: z.string().default(''),
  targets: z.array(z.string()).default([]),
  details: z.record(z.string(), z.unknown()).default({}),
  openedAtMs: z.number().finite(),
});

const calendarSummary = z.object({
  fingerprint: z.string().min(1),
  upcoming: z.number().int().min(0),
  atMs: z.number().finite(),
  nextEndsMs: z.array(z.number().finite()).max(1000).default([]),
});

const deletedOverride = z.object({
  id: z.string().min(1),
  untilMs: z.number().finite(),
  deletedAtMs: z.number().finite(),
});

const setAsideRecord = z.object({ atMs: z.number().finite(), keptAt: z.string(), reason: z.string() });

const calendarConfirmation = z.object({
  source: z.string().min(1),
  fingerprint: z.string().min(1),
  actor: z.string(),
  reason: z.string(),
  atMs: z.number().finite(),
});

/** Keeps the entries that parse; says how many it dropped. */
function entries<T>(schema: z.ZodType<T>, raw: unknown, dropped: string[], what: string): T[] {
  if (!Array.isArray(raw)) return [];
  const out: T[] = [];
  raw.forEach((item, i) => {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data);
    else dropped.push(`${what}[${i}]: ${r.error.issues[0]?.message ?? 'malformed'}`);
  });
  return out;
}

export interface Decoded {
  doc: DurableDocument;
  /** What was dropped and why (the store logs it). */
  dropped: string[];
  /** Set when the text as a whole is not a document (not JSON, not an object): nothing in it was used. */
  unreadable?: string;
}

export function decodeDocument(text: string | undefined): Decoded {
  const dropped: string[] = [];
  if (!text) return { doc: emptyDocument(), dropped };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { doc: emptyDocument(), dropped, unreadable: `not JSON (${(err as Error).message})` };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { doc: emptyDocument(), dropped, unreadable: 'not a JSON object' };
  const o = raw as Record<string, unknown>;
  const pages: Record<string, PageSnapshot> = {};
  const rawPages = o.pages && typeof o.pages === 'object' ? (o.pages as Record<string, unknown>) : {};
  for (const [sink, p] of Object.entries(rawPages)) {
    const sp = (p && typeof p === 'object' ? p : {}) as Record<string, unknown>;
    const memory: Record<string, number> = {};
    if (sp.memory && typeof sp.memory === 'object')
      for (const [k, v] of Object.entries(sp.memory as Record<string, unknown>)) if (typeof v === 'number' && Number.isFinite(v)) memory[k] = v;
    pages[sink] = { open: entries(openPage, sp.open, dropped, `pages.${sink}.open`), memory };
  }
  const calendars: Record<string, CalendarSummary> = {};
  const rawCalendars = o.calendars && typeof o.calendars === 'object' ? (o.calendars as Record<string, unknown>) : {};
  for (const [source, c] of Object.entries(rawCalendars)) {
    const r = calendarSummary.safeParse(c);
    if (r.success) calendars[source] = r.data;
    else dropped.push(`calendars.${source}: ${r.error.issues[0]?.message ?? 'malformed'}`);
  }
  return {
    doc: {
      overrides: entries(override, o.overrides, dropped, 'overrides'),
      audit: entries(auditEntry, o.audit, dropped, 'audit'),
      pages,
      calendars,
      calendarConfirmations: entries(calendarConfirmation, o.calendarConfirmations, dropped, 'calendarConfirmations'),
      deletedOverrides: entries(deletedOverride, o.deletedOverrides, dropped, 'deletedOverrides'),
      documentId: typeof o.documentId === 'string' && o.documentId ? o.documentId : null,
      setAside: setAsideRecord.safeParse(o.setAside).data ?? null,
    },
    dropped,
  };
}

/** The document's JSON text, fields in a fixed order (so an unchanged document is the same text). */
export function documentText(doc: DurableDocument): string {
  return JSON.stringify({
    version: DOCUMENT_VERSION,
    documentId: doc.documentId,
    overrides: doc.overrides,
    deletedOverrides: doc.deletedOverrides,
    audit: doc.audit,
    pages: doc.pages,
    calendars: doc.calendars,
    calendarConfirmations: doc.calendarConfirmations,
    setAside: doc.setAside,
  });
}
