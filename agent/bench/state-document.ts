/**
 * bench:state-document — the durable state document's size at its bounds (issue 24, defect 11): the
 * API's caps (1,000 active overrides, 500-character reasons), the audit cap, MAX_TOMBSTONES tombstones,
 * ASCII and 2-byte reasons; what fitDocument keeps and how many bytes it writes against the 1 MiB
 * ConfigMap limit. Deterministic (sizes, not timings): one run.
 *
 *   npm run bench:state-document -w agent
 */
import { fitDocument, MAX_DOCUMENT_BYTES } from '../src/durable/document-budget';
import { documentText, emptyDocument, type DurableDocument } from '../src/durable/durable-document';
import { MAX_TOMBSTONES } from '../src/durable/tombstones';

const T0 = Date.UTC(2026, 5, 13, 15);
const KiB = 1024;

function doc(overrides: number, audit: number, tombstones: number, char: string): DurableDocument {
  const os = Array.from({ length: overrides }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    targetId: `target-${i % 100}`,
    type: 'floor' as const,
    replicas: 20,
    untilMs: T0 + 86_400_000,
    untilWeddingEnds: false,
    reason: `${i} `.padEnd(500, char),
    author: 'ops@example.org',
    createdAtMs: T0,
  }));
  const entries = Array.from({ length: audit }, (_, i) => ({
    atMs: T0 + i,
    actor: 'ops@example.org',
    role: 'operator',
    action: 'override.create',
    targetId: `target-${i % 100}`,
    detail: { id: os[i % Math.max(1, overrides)]?.id ?? 'x', reason: `${i} `.padEnd(500, char) },
  }));
  const dead = Array.from({ length: tombstones }, (_, i) => ({
    id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    untilMs: T0 + i,
    deletedAtMs: T0,
  }));
  return { ...emptyDocument(), documentId: '5e1f0c9e-0000-4000-8000-000000000000', overrides: os, audit: entries, deletedOverrides: dead };
}

const cases: Array<[string, DurableDocument]> = [
  ['empty', emptyDocument()],
  ['100 overrides, 200 audit, ASCII reasons', doc(100, 200, 0, 'x')],
  ['1,000 overrides, 200 audit, ASCII reasons', doc(1000, 200, 0, 'x')],
  ['1,000 overrides, 1,000 audit, ASCII reasons', doc(1000, 1000, 0, 'x')],
  ['1,000 overrides, 1,000 audit, 2-byte reasons', doc(1000, 1000, 0, 'é')],
  [`1,000 overrides, 1,000 audit, 2-byte reasons, ${MAX_TOMBSTONES} tombstones`, doc(1000, 1000, MAX_TOMBSTONES, 'é')],
];
console.log(`budget ${MAX_DOCUMENT_BYTES / KiB} KiB (ConfigMap limit 1024 KiB)`);
console.log('| case | whole | written | audit kept | reasons | tombstones kept |');
console.log('|---|---|---|---|---|---|');
for (const [name, d] of cases) {
  const whole = Buffer.byteLength(documentText(d));
  const { text, trimmed } = fitDocument(d);
  const out = JSON.parse(text) as { audit: unknown[]; deletedOverrides: unknown[]; overrides: Array<{ reason: string }> };
  const reasons = out.overrides.length ? `${Math.max(...out.overrides.map((o) => o.reason.length))} chars` : '–';
  console.log(
    `| ${name} | ${(whole / KiB).toFixed(0)} KiB | ${(Buffer.byteLength(text) / KiB).toFixed(0)} KiB | ${out.audit.length} of ${d.audit.length} | ${reasons} | ${out.deletedOverrides.length} of ${d.deletedOverrides.length} |${trimmed.length ? '' : ' (whole)'}`,
  );
}
