/**
 * Defect 11 of issue 24: 1,000 overrides with 500-character reasons and a full audit trail made a 1.7 MB
 * document, over the ConfigMap's 1 MiB, and the stored audit trail came back empty after a restart.
 */
import { indexCalendar } from '../calendar/rules';
import { targetSchema, weddingRulesSchema } from '../config/schema';
import type { Override } from '../plan/types';
import { InMemoryKubeApi } from '../../test-support/in-memory-kube-api';
import { AgentState, type AuditEntry } from '../state';
import { silentLogger } from '../util/logger';
import { ConfigMapStateBackend, STATE_DATA_KEY } from './configmap-backend';
import { fitDocument, MAX_DOCUMENT_BYTES, MIN_AUDIT_KEPT } from './document-budget';
import { decodeDocument, emptyDocument } from './durable-document';
import { DurableStateStore } from './durable-state-store';

const T0 = Date.UTC(2026, 5, 13, 15);
const CONFIGMAP_LIMIT = 1024 * 1024;
const target = targetSchema.parse({
  id: 'shop-api',
  kubernetes: { namespace: 'shop', name: 'shop-api' },
  load: { source: 'sim', query: 'q' },
  capacityPerPod: 50,
  maxReplicas: 40,
});
/** 500 characters, 2 bytes each: the overrides alone are over 1 MiB. */
const reason = (i: number) => `${i} `.padEnd(500, 'é');
const override = (i: number): Override => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  targetId: 'shop-api',
  type: 'floor',
  replicas: 6,
  untilMs: T0 + 3_600_000,
  untilWeddingEnds: false,
  reason: reason(i),
  author: 'ops@example.org',
  createdAtMs: T0,
});
const auditOf = (o: Override, i: number): AuditEntry => ({
  atMs: T0 + i,
  actor: 'ops@example.org',
  role: 'operator',
  action: 'override.create',
  targetId: 'shop-api',
  detail: { id: o.id, target: 'shop-api', type: 'floor', replicas: 6, reason: o.reason, until: new Date(o.untilMs).toISOString() },
});

describe('the durable document always fits its budget', () => {
  test('1,000 overrides with 500-character (2-byte) reasons and 1,000 audit entries: stored under 1 MiB, every override kept, the newest audit kept', async () => {
    const api = new InMemoryKubeApi();
    const state = new AgentState(
      { version: 't', cluster: 'c', mode: 'shadow', leader: false, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      [target],
      indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})),
    );
    const overrides = Array.from({ length: 1000 }, (_, i) => override(i));
    state.importOverrides(overrides);
    overrides.forEach((o, i) => state.audit.push(auditOf(o, i)));
    const store = new DurableStateStore(new ConfigMapStateBackend(api, 'wedsync', 'wedsync-agent-state'), state, {
      clock: () => T0,
      logger: silentLogger,
      maxAuditEntries: 1000,
      intervalMs: 60_000,
    });
    await store.sync();
    expect(store.failures).toBe(0);
    const text = api.configMaps.get('wedsync/wedsync-agent-state')!.data[STATE_DATA_KEY];
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
    expect(Buffer.byteLength(text)).toBeLessThan(CONFIGMAP_LIMIT);
    const { doc } = decodeDocument(text);
    expect(doc.overrides.map((o) => o.id)).toEqual(overrides.map((o) => o.id));
    expect(doc.audit.length).toBeGreaterThanOrEqual(MIN_AUDIT_KEPT);
    expect(doc.audit.at(-1)?.detail.id).toBe(overrides[999].id); // the newest entry is kept

    // After a restart the trail is there.
    const restarted = new AgentState(
      { version: 't', cluster: 'c', mode: 'shadow', leader: false, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      [target],
      indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})),
    );
    await new DurableStateStore(new ConfigMapStateBackend(api, 'wedsync', 'wedsync-agent-state'), restarted, {
      clock: () => T0,
      logger: silentLogger,
      maxAuditEntries: 1000,
      intervalMs: 60_000,
    }).sync();
    expect(restarted.overrides).toHaveLength(1000);
    expect(restarted.audit.toArray().length).toBeGreaterThanOrEqual(MIN_AUDIT_KEPT);
  });

  test.each([
    ['fits whole: nothing trimmed', 10, 10, []],
    ['audit details cut first', 100, 100, ['audit details cut to 120 characters']],
  ])('%s', (_name, nOverrides, nAudit, trimmed) => {
    const overrides = Array.from({ length: nOverrides }, (_, i) => override(i));
    const audit = overrides.slice(0, nAudit).map(auditOf);
    const fitted = fitDocument({ ...emptyDocument(), overrides, audit }, 200 * 1024);
    expect(fitted.trimmed).toEqual(trimmed);
    expect(Buffer.byteLength(fitted.text)).toBeLessThanOrEqual(200 * 1024);
  });

  test('when even short reasons do not fit, the audit trail keeps its newest entry and tombstones give way, soonest-expiring first', () => {
    const overrides = Array.from({ length: 200 }, (_, i) => override(i));
    const doc = {
      ...emptyDocument(),
      overrides,
      audit: overrides.map(auditOf),
      deletedOverrides: Array.from({ length: 400 }, (_, i) => ({ id: `dead-${i}`, untilMs: T0 + i, deletedAtMs: T0 })),
    };
    const fitted = fitDocument(doc, 80 * 1024);
    const out = decodeDocument(fitted.text).doc;
    expect(Buffer.byteLength(fitted.text)).toBeLessThanOrEqual(80 * 1024);
    expect(out.overrides).toHaveLength(200);
    expect(out.audit.length).toBeGreaterThanOrEqual(1);
    expect(out.audit.at(-1)?.atMs).toBe(T0 + 199);
    expect(out.deletedOverrides.length).toBeLessThan(400);
    expect(Math.min(...out.deletedOverrides.map((t) => t.untilMs))).toBeGreaterThan(T0 + 400 - out.deletedOverrides.length - 1);
  });
});
