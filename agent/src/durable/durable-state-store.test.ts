/**
 * The durable state store over both backends: the ConfigMap one against the in-memory Kubernetes API
 * (resourceVersion → 409, like the server), the file one in a temporary directory.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexCalendar } from '../calendar/rules';
import { targetSchema, weddingRulesSchema } from '../config/schema';
import type { Override } from '../plan/types';
import { InMemoryKubeApi } from '../../test-support/in-memory-kube-api';
import { AgentState, type AuditEntry } from '../state';
import { silentLogger } from '../util/logger';
import { ConfigMapStateBackend, STATE_DATA_KEY } from './configmap-backend';
import { decodeDocument } from './durable-document';
import { DurableStateStore } from './durable-state-store';
import { FileStateBackend, STATE_FILE_NAME } from './file-backend';
import type { StateBackend } from '../contracts/state-backend';

const T0 = Date.UTC(2026, 5, 13, 15);
const target = targetSchema.parse({
  id: 'shop-api',
  kubernetes: { namespace: 'shop', name: 'shop-api' },
  load: { source: 'sim', query: 'q' },
  capacityPerPod: 50,
  maxReplicas: 40,
});
const newState = (mode: 'act' | 'dry-run' | 'shadow' = 'shadow') =>
  new AgentState(
    { version: 't', cluster: 'c', mode, leader: false, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
    [target],
    indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})),
  );
const override = (id: string, untilMs = T0 + 3_600_000): Override => ({
  id,
  targetId: 'shop-api',
  type: 'floor',
  replicas: 6,
  untilMs,
  untilWeddingEnds: false,
  reason: 'first dance',
  author: 'ops',
  createdAtMs: T0,
});
const audit = (n: number, action = 'override.create'): AuditEntry => ({
  atMs: T0 + n,
  actor: 'ops',
  role: 'operator',
  action,
  targetId: 'shop-api',
  detail: { n },
});

function replica(backend: StateBackend, opts: { maxAuditEntries?: number; clock?: () => number } = {}) {
  const state = newState();
  const store = new DurableStateStore(backend, state, {
    clock: opts.clock ?? (() => T0),
    logger: silentLogger,
    maxAuditEntries: opts.maxAuditEntries ?? 200,
    intervalMs: 60_000,
  });
  return { state, store };
}

describe('DurableStateStore on a ConfigMap (in-memory Kubernetes API)', () => {
  let api: InMemoryKubeApi;
  const backend = () => new ConfigMapStateBackend(api, 'wedsync', 'wedsync-agent-state');
  const stored = () => decodeDocument(api.configMaps.get('wedsync/wedsync-agent-state')?.data[STATE_DATA_KEY]).doc;
  beforeEach(() => {
    api = new InMemoryKubeApi();
  });

  test('overrides and the audit trail set in shadow mode survive a restart', async () => {
    const a = replica(backend());
    await a.store.start();
    a.state.importOverrides([override('o1')]);
    a.state.audit.push(audit(1));
    await a.store.sync();
    // Start creates the (empty) ConfigMap; the round after the change replaces it.
    expect(api.calls.map((c) => c.method)).toEqual(['readConfigMap', 'createConfigMap', 'readConfigMap', 'replaceConfigMap']);
    expect(stored().overrides.map((o) => o.id)).toEqual(['o1']);

    const restarted = replica(backend());
    await restarted.store.start();
    expect(restarted.state.overrides).toEqual([override('o1')]);
    expect(restarted.state.audit.toArray()).toEqual([audit(1)]);
  });

  test('two replicas agree on overrides set and removed through either; a round with no change writes nothing', async () => {
    const a = replica(backend());
    const b = replica(backend());
    await a.store.start();
    await b.store.start();
    a.state.importOverrides([override('from-a')]);
    await a.store.sync();
    b.state.importOverrides([override('from-b')]);
    await b.store.sync();
    await a.store.sync();
    expect(a.state.overrides.map((o) => o.id).sort()).toEqual(['from-a', 'from-b']);
    expect(b.state.overrides.map((o) => o.id).sort()).toEqual(['from-a', 'from-b']);

    // Removed on B: gone on A too, and A (which still had it) does not put it back.
    b.state.removeOverride('from-a');
    await b.store.sync();
    await a.store.sync();
    await b.store.sync();
    expect(a.state.overrides.map((o) => o.id)).toEqual(['from-b']);
    expect(stored().overrides.map((o) => o.id)).toEqual(['from-b']);

    const writes = () => api.calls.filter((c) => c.method !== 'readConfigMap').length;
    const before = writes();
    await a.store.sync();
    await b.store.sync();
    expect(writes()).toBe(before);
  });

  test("concurrent first writes: the loser gets 409, re-reads and merges; both replicas' entries are kept", async () => {
    const a = replica(backend());
    const b = replica(backend());
    a.state.importOverrides([override('from-a')]);
    b.state.importOverrides([override('from-b')]);
    a.state.audit.push(audit(1));
    b.state.audit.push(audit(2));
    await Promise.all([a.store.sync(), b.store.sync()]);
    expect(api.calls.filter((c) => c.method === 'createConfigMap')).toHaveLength(2); // one of them was refused
    expect(stored().overrides.map((o) => o.id)).toEqual(['from-a', 'from-b']);
    expect(stored().audit).toEqual([audit(1), audit(2)]);
    expect(a.store.failures + b.store.failures).toBe(0);
  });

  test('a stale replace (409) is re-read and merged', async () => {
    const a = replica(backend());
    await a.store.start();
    a.state.importOverrides([override('o1')]);
    await a.store.sync();
    api.failNext('replaceConfigMap', 409);
    a.state.importOverrides([override('o2')]);
    await a.store.sync();
    expect(a.store.failures).toBe(0);
    const replaces = api.calls.filter((c) => c.method === 'replaceConfigMap');
    expect(replaces).toHaveLength(3); // o1; o2 refused (409); o2 again after the re-read
    expect(replaces[2].args).toEqual(replaces[1].args);
    expect(stored().overrides.map((o) => o.id)).toEqual(['o1', 'o2']);
  });

  test('the audit trail kept is the newest maxAuditEntries; both replicas show the union', async () => {
    const a = replica(backend(), { maxAuditEntries: 3 });
    const b = replica(backend(), { maxAuditEntries: 3 });
    for (let i = 1; i <= 4; i++) a.state.audit.push(audit(i));
    await a.store.sync();
    b.state.audit.push(audit(5, 'override.delete'));
    await b.store.sync();
    expect(stored().audit.map((e) => e.detail.n)).toEqual([3, 4, 5]);
    expect(b.state.audit.toArray().map((e) => e.detail.n)).toEqual([3, 4, 5]);
    await a.store.sync();
    expect(a.state.audit.toArray().map((e) => e.detail.n)).toEqual([1, 2, 3, 4, 5]);
  });

  test('expired overrides are dropped from the store; malformed stored entries are dropped, never applied', async () => {
    await api.createConfigMap('wedsync', 'wedsync-agent-state', {
      [STATE_DATA_KEY]: JSON.stringify({
        version: 1,
        overrides: [override('ok'), override('expired', T0 - 1), { id: 'bad', targetId: 'shop-api', type: 'pin', untilMs: T0 + 1 }, 'junk'],
        audit: [audit(1), { atMs: 'x' }],
        pages: {},
      }),
    });
    const a = replica(backend());
    await a.store.start();
    expect(a.state.overrides.map((o) => o.id)).toEqual(['ok']);
    expect(a.state.audit.toArray()).toEqual([audit(1)]);
    expect(stored().overrides.map((o) => o.id)).toEqual(['ok']);
  });

  test('an unreachable store is counted and logged; local state is kept and stored once it answers', async () => {
    const a = replica(backend());
    api.failNext('readConfigMap', 500, 2);
    await a.store.start();
    a.state.importOverrides([override('o1')]);
    await a.store.sync();
    expect(a.store.failures).toBe(2);
    expect(a.state.overrides.map((o) => o.id)).toEqual(['o1']);
    await a.store.sync();
    expect(stored().overrides.map((o) => o.id)).toEqual(['o1']);
  });

  test('open pages: what a sink saved is loaded after a restart; a page one replica resolved stays resolved', async () => {
    const a = replica(backend());
    const b = replica(backend());
    await a.store.start();
    await b.store.start();
    const page = { dedupKey: 'k1', kind: 'pinned-at-max-overloaded', severity: 'error', summary: 's', targets: ['shop-api'], details: {}, openedAtMs: T0 };
    await a.store.pages('pd').load();
    await b.store.pages('pd').load();
    await a.store.pages('pd').save({ open: [page], memory: { 'overloaded/shop-api': T0 - 1000 } });
    await b.store.pages('pd').save({ open: [page], memory: { 'overloaded/shop-api': T0 - 1000 } });
    await a.store.pages('pd').save({ open: [], memory: {} }); // A delivered the resolve
    await b.store.sync(); // B still holds it open, but does not put it back
    expect(stored().pages.pd.open).toEqual([]);

    await a.store.pages('pd').save({ open: [{ ...page, dedupKey: 'k2' }], memory: { m: 1 } });
    const restarted = replica(backend());
    await restarted.store.start();
    expect(await restarted.store.pages('pd').load()).toEqual({ open: [{ ...page, dedupKey: 'k2' }], memory: { m: 1 } });
  });
});

describe('DurableStateStore on a file (no cluster)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wedsync-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('state survives a restart in a file written atomically (no temporary file left behind)', async () => {
    const stateDir = join(dir, 'nested', 'state');
    const a = replica(new FileStateBackend(stateDir));
    await a.store.start();
    a.state.importOverrides([override('o1')]);
    a.state.audit.push(audit(1));
    await a.store
      .pages('pd')
      .save({ open: [{ dedupKey: 'k', kind: 'x', severity: 'error', summary: 's', targets: [], details: {}, openedAtMs: T0 }], memory: {} });
    await a.store.stop();
    expect(readdirSync(stateDir)).toEqual([STATE_FILE_NAME]);
    const doc = JSON.parse(readFileSync(join(stateDir, STATE_FILE_NAME), 'utf8'));
    expect(doc).toMatchObject({ version: 1, overrides: [{ id: 'o1' }], audit: [{ action: 'override.create' }], pages: { pd: { open: [{ dedupKey: 'k' }] } } });

    const restarted = replica(new FileStateBackend(stateDir));
    await restarted.store.start();
    expect(restarted.state.overrides).toEqual([override('o1')]);
    expect(restarted.state.audit.toArray()).toEqual([audit(1)]);
    expect((await restarted.store.pages('pd').load()).open.map((p) => p.dedupKey)).toEqual(['k']);
  });

  test('a file changed between read and write is not overwritten: the write is refused and merged again', async () => {
    const backend = new FileStateBackend(dir);
    const a = replica(backend);
    await a.store.start();
    a.state.importOverrides([override('mine')]);
    // Someone else writes after our read: the first write must see a different version and re-merge.
    const realRead = backend.read.bind(backend);
    let reads = 0;
    backend.read = async () => {
      const r = await realRead();
      if (++reads === 1) writeFileSync(join(dir, STATE_FILE_NAME), JSON.stringify({ version: 1, overrides: [override('theirs')], audit: [], pages: {} }));
      return r;
    };
    await a.store.sync();
    expect(a.store.failures).toBe(0);
    expect(a.state.overrides.map((o) => o.id).sort()).toEqual(['mine', 'theirs']);
    expect(JSON.parse(readFileSync(join(dir, STATE_FILE_NAME), 'utf8')).overrides.map((o: Override) => o.id)).toEqual(['mine', 'theirs']);
  });

  test('a corrupt file is replaced, not trusted', async () => {
    writeFileSync(join(dir, STATE_FILE_NAME), '{not json');
    const a = replica(new FileStateBackend(dir));
    await a.store.start();
    a.state.importOverrides([override('o1')]);
    await a.store.sync();
    expect(a.state.overrides.map((o) => o.id)).toEqual(['o1']);
    expect(JSON.parse(readFileSync(join(dir, STATE_FILE_NAME), 'utf8')).overrides).toHaveLength(1);
  });
});
