/**
 * The durable document always fits its budget: a ConfigMap holds at most 1 MiB (data, keys and metadata
 * together), and the file backend refuses to read a file much larger (file-backend.ts). Pure.
 *
 * What gives way, in this order, only as far as needed:
 * 1. long strings inside audit entries' details (an override's reason is in its create and delete entries),
 *    cut to AUDIT_DETAIL_CHARS;
 * 2. the oldest audit entries, down to the newest MIN_AUDIT_KEPT;
 * 3. overrides' reasons, cut to 200 and then 60 characters (the override itself, its target, replicas and
 *    expiry, is never dropped: it is protection in force);
 * 4. the audit trail down to its newest entry (never emptied);
 * 5. tombstones, the soonest-expiring first.
 * With the API's caps (1,000 active overrides, 500-character reasons) steps 1–3 always suffice; the figures
 * are in BENCHMARKS.md ("The durable state document at its bounds").
 */
import type { AuditEntry } from '../state';
import { documentText, type DurableDocument } from './durable-document';

/** Under the ConfigMap's 1 MiB with room for the object's metadata. */
export const MAX_DOCUMENT_BYTES = 900 * 1024;
export const MIN_AUDIT_KEPT = 20;
export const AUDIT_DETAIL_CHARS = 120;
const REASON_STEPS = [200, 60];

export interface FittedDocument {
  text: string;
  /** What had to give way, for the log and the counter (empty: the document fitted whole). */
  trimmed: string[];
}

const bytes = (s: string) => Buffer.byteLength(s);
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function compactAudit(e: AuditEntry): AuditEntry {
  const detail: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.detail)) detail[k] = typeof v === 'string' ? cut(v, AUDIT_DETAIL_CHARS) : v;
  return { ...e, detail };
}

/** The newest audit entries (at least `min`, if there are that many) that fit beside the rest of the document. */
function newestAuditThatFits(doc: DurableDocument, maxBytes: number, min: number): AuditEntry[] {
  const base = bytes(documentText({ ...doc, audit: [] }));
  let total = base;
  let kept = 0;
  for (let i = doc.audit.length - 1; i >= 0; i--) {
    const add = bytes(JSON.stringify(doc.audit[i])) + (kept > 0 ? 1 : 0);
    if (total + add > maxBytes && kept >= min) break;
    total += add;
    kept++;
  }
  return doc.audit.slice(doc.audit.length - kept);
}

export function fitDocument(whole: DurableDocument, maxBytes = MAX_DOCUMENT_BYTES): FittedDocument {
  const trimmed: string[] = [];
  let doc = whole;
  let text = documentText(doc);
  const fits = () => bytes(text) <= maxBytes;
  const step = (what: string, next: DurableDocument) => {
    doc = next;
    text = documentText(doc);
    trimmed.push(what);
  };
  if (fits()) return { text, trimmed };

  const compacted = doc.audit.map(compactAudit);
  step(`audit details cut to ${AUDIT_DETAIL_CHARS} characters`, { ...doc, audit: compacted });
  if (fits()) return { text, trimmed };

  const min = Math.min(MIN_AUDIT_KEPT, compacted.length);
  const dropOldest = () => {
    const audit = newestAuditThatFits({ ...doc, audit: compacted }, maxBytes, min);
    if (audit.length < compacted.length) step(`oldest ${compacted.length - audit.length} audit entries dropped`, { ...doc, audit });
  };
  dropOldest();
  if (fits()) return { text, trimmed };

  for (const max of REASON_STEPS) {
    step(`override reasons cut to ${max} characters`, { ...doc, overrides: doc.overrides.map((o) => ({ ...o, reason: cut(o.reason, max) })) });
    // The room the reasons gave back goes to the audit trail again, newest first.
    dropOldest();
    if (fits()) return { text, trimmed };
  }

  if (doc.audit.length > 1) {
    const newest = newestAuditThatFits(doc, maxBytes, 1);
    step(`audit trail cut to its newest ${newest.length} entries`, { ...doc, audit: newest });
    if (fits()) return { text, trimmed };
  }

  const tombstones = [...doc.deletedOverrides].sort((a, b) => b.untilMs - a.untilMs);
  while (!fits() && tombstones.length) {
    tombstones.splice(Math.floor(tombstones.length / 2));
    step(`tombstones cut to ${tombstones.length}`, { ...doc, deletedOverrides: [...tombstones].sort((a, b) => a.id.localeCompare(b.id)) });
  }
  return { text, trimmed };
}
