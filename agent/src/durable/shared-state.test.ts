/**
 * Defect 1 of issue 24: two agents sharing one state (one file under state.directory, or one ConfigMap)
 * lose nothing and bring back nothing deleted. The file one runs on the real filesystem in a temporary
 * directory, the ConfigMap one against the in-memory Kubernetes API (resourceVersion → 409, as the server).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { indexCalendar } from '../calendar/rules';
import { targetSchema, weddingRulesSchema } from '../config/schema';
import type { Override } from '../plan/types';
import { InMemoryKubeApi } from '../../test-support/in-memory-kube-api';
import { AgentState } from '../state';
import { silentLogger } from '../util/logger';
import { ConfigMapStateBackend, STATE_DATA_KEY } from './configmap-backend';
import { decodeDocument } from './durable-document';
import { DurableStateStore } from './durable-state-store';
import { FileStateBackend } from './file-backend';
import type { StateBackend } from '../contracts/state-backend';

const T0 = Date.UTC(2026, 5, 13, 15);
const target = targetSchema.parse({
  id: 'shop-api',
  kubernetes: { namespace: 'shop', name: 'shop-api' },
  load: { source: 'sim', query: 'q' },
  capacityPerPod: 50,
  maxReplicas: 40,
});
const override = (id: string): Override => ({
  id,
  targetId: 'shop-api',
  type: 'floor',
  replicas: 6,
  untilMs: T0 + 3_600_000,
  untilWeddingEnds: false,
  reason: 'first dance',
  author: 'ops',
  createdAtMs: T0,
});

function agent(backend: StateBackend) {
  const state = new AgentState(
    { version: 't', cluster: 'c', mode: 'shadow', leader: false, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
    [target],
    indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})),
  );
  const store = new DurableStateStore(backend, state, { clock: () => T0, logger: silentLogger, maxAuditEntries: 200, intervalMs: 60_000 });
  return { state, store };
}
type Agent = ReturnType<typeof agent>;

/** As the API does: a change, then a round soon (nudge); many at once on both agents, no waiting in between. */
async function createConcurrently(agents: Agent[], perAgent: number): Promise<string[]> {
  const ids: string[] = [];
  const rounds: Array<Promise<void>> = [];
  for (let i = 0; i < perAgent; i++)
    agents.forEach((a, n) => {
      const o = override(`o-${n}-${String(i).padStart(3, '0')}`);
      ids.push(o.id);
      a.state.importOverrides([o]);
      rounds.push(a.store.sync());
    });
  await Promise.all(rounds);
  return ids.sort();
}

async function deleteConcurrently(agents: Agent[], ids: string[]): Promise<void> {
  const rounds: Array<Promise<void>> = [];
  ids.forEach((id, i) => {
    const a = agents[i % agents.length];
    a.state.removeOverride(id);
    rounds.push(a.store.sync());
  });
  await Promise.all(rounds);
}

async function settle(agents: Agent[]): Promise<void> {
  for (let i = 0; i < 3; i++) for (const a of agents) await a.store.sync();
}

describe.each([
  ['one file under state.directory (real filesystem)', 'file'],
  ['one ConfigMap (in-memory Kubernetes API)', 'configmap'],
] as const)('two agents sharing %s', (_name, kind) => {
  let dir: string;
  let api: InMemoryKubeApi;
  let backend: () => StateBackend;
  let storedIds: () => string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wedsync-shared-state-'));
    api = new InMemoryKubeApi();
    if (kind === 'file') {
      backend = () => new FileStateBackend(dir);
      storedIds = () => decodeDocument(readFileSync(join(dir, 'wedsync-agent-state.json'), 'utf8')).doc.overrides.map((o) => o.id);
    } else {
      backend = () => new ConfigMapStateBackend(api, 'wedsync', 'wedsync-agent-state');
      storedIds = () => decodeDocument(api.configMaps.get('wedsync/wedsync-agent-state')?.data[STATE_DATA_KEY]).doc.overrides.map((o) => o.id);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('80 overrides created concurrently, half through each, are all kept; 60 deleted stay deleted', async () => {
    const agents = [agent(backend()), agent(backend())];
    for (const a of agents) await a.store.start();
    const ids = await createConcurrently(agents, 40);
    await settle(agents);
    expect(storedIds()).toEqual(ids);
    for (const a of agents) expect(a.state.overrides.map((o) => o.id).sort()).toEqual(ids);

    const deleted = ids.filter((_, i) => i % 4 !== 0);
    await deleteConcurrently(agents, deleted);
    await settle(agents);
    const kept = ids.filter((_, i) => i % 4 === 0);
    expect(storedIds()).toEqual(kept);
    for (const a of agents) expect(a.state.overrides.map((o) => o.id).sort()).toEqual(kept);
    expect(agents.map((a) => a.store.failures)).toEqual([0, 0]);
    for (const a of agents) await a.store.stop();
  }, 60_000);
});

describe('a document started anew (in-memory Kubernetes API)', () => {
  test('both agents store again what they hold, except an override deleted since (its tombstone)', async () => {
    const api = new InMemoryKubeApi();
    const a = agent(new ConfigMapStateBackend(api, 'wedsync', 'wedsync-agent-state'));
    const b = agent(new ConfigMapStateBackend(api, 'wedsync', 'wedsync-agent-state'));
    await a.store.start();
    await b.store.start();
    a.state.importOverrides([override('x'), override('y')]);
    await a.store.sync();
    await b.store.sync();
    expect(b.state.overrides.map((o) => o.id)).toEqual(['x', 'y']);
    // The stored document is damaged: a sets it aside and starts a new one with what it holds.
    const cm = api.configMaps.get('wedsync/wedsync-agent-state')!;
    await api.replaceConfigMap('wedsync', 'wedsync-agent-state', { data: { [STATE_DATA_KEY]: '{"overrides": [' }, resourceVersion: cm.resourceVersion });
    await a.store.sync();
    const stored = () => decodeDocument(api.configMaps.get('wedsync/wedsync-agent-state')?.data[STATE_DATA_KEY]).doc;
    expect(stored().overrides.map((o) => o.id)).toEqual(['x', 'y']);
    // x is deleted through a before b's next round; b, seeing a new document, pushes everything it holds.
    a.state.removeOverride('x');
    await a.store.sync();
    b.state.importOverrides([override('z')]);
    await b.store.sync();
    await a.store.sync();
    expect(stored().overrides.map((o) => o.id)).toEqual(['y', 'z']);
    expect(stored().deletedOverrides).toEqual([{ id: 'x', untilMs: T0 + 3_600_000, deletedAtMs: T0 }]);
    expect([a.state.overrides.map((o) => o.id).sort(), b.state.overrides.map((o) => o.id).sort()]).toEqual([
      ['y', 'z'],
      ['y', 'z'],
    ]);
  });
});
