/**
 * The agent's durable state in its ConfigMap through the real @kubernetes/client-node against the
 * Kubernetes API stand-in (test/support/kube-api-standin.ts: plain HTTP on 127.0.0.1, recording every
 * request, resourceVersion checks like the real server).
 */
import { indexCalendar } from '../agent/src/calendar/rules';
import { targetSchema, weddingRulesSchema } from '../agent/src/config/schema';
import { ConfigMapStateBackend, STATE_DATA_KEY } from '../agent/src/durable/configmap-backend';
import { DurableStateStore } from '../agent/src/durable/durable-state-store';
import type { Override } from '../agent/src/plan/types';
import { createKubeApi, makeKubeConfig, type KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import { AgentState } from '../agent/src/state';
import { silentLogger, type Logger } from '../agent/src/util/logger';
import { KubeApiStandIn } from './support/kube-api-standin';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
const k8s: KubernetesClientModule = require('@kubernetes/client-node');

const T0 = Date.UTC(2026, 5, 13, 15);
const PATH = '/api/v1/namespaces/wedsync/configmaps/wedsync-agent-state';
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
  type: 'pin',
  replicas: 9,
  untilMs: T0 + 3_600_000,
  untilWeddingEnds: false,
  reason: 'first dance',
  author: 'ops',
  createdAtMs: T0,
});

describe('durable state in a ConfigMap (real client library, Kubernetes API stand-in)', () => {
  let standIn: KubeApiStandIn;
  beforeEach(async () => {
    standIn = new KubeApiStandIn();
    await standIn.start();
  });
  afterEach(() => standIn.stop());

  function replica(logger: Logger = silentLogger) {
    const api = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: standIn.kubeConfigOptions() }));
    const backend = new ConfigMapStateBackend(api, 'wedsync', 'wedsync-agent-state');
    const state = new AgentState(
      { version: 't', cluster: 'c', mode: 'shadow', leader: false, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      [target],
      indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})),
    );
    const store = new DurableStateStore(backend, state, { clock: () => T0, logger, maxAuditEntries: 200, intervalMs: 60_000 });
    return { state, store, backend };
  }
  const stored = () => JSON.parse(standIn.get(PATH).data[STATE_DATA_KEY]) as { version: number; overrides: Override[] };

  test('stand-in: created with a POST on first start, then replaced with a PUT carrying the resourceVersion read', async () => {
    const a = replica();
    await a.store.start();
    a.state.importOverrides([override('o1')]);
    await a.store.sync();
    const calls = standIn.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([`GET ${PATH}`, 'POST /api/v1/namespaces/wedsync/configmaps', `GET ${PATH}`, `PUT ${PATH}`]);
    const [, create, , replace] = standIn.requests;
    expect(create.contentType).toBe('application/json');
    expect(create.body).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'wedsync-agent-state', namespace: 'wedsync', labels: { 'app.kubernetes.io/name': 'wedsync-agent' } },
    });
    expect(JSON.parse(create.body.data[STATE_DATA_KEY])).toEqual({
      version: 1,
      overrides: [],
      audit: [],
      pages: {},
      calendars: {},
      calendarConfirmations: [],
      deletedOverrides: [],
      setAside: null,
      documentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(replace.body.metadata.resourceVersion).toBe('100'); // what the create answered (the stand-in counts from 100)
    expect(stored().overrides.map((o) => o.id)).toEqual(['o1']);

    const restarted = replica();
    await restarted.store.start();
    expect(restarted.state.overrides).toEqual([override('o1')]);
  });

  test('stand-in: a write with a stale resourceVersion is refused by the server (409), re-read and merged', async () => {
    const a = replica();
    await a.store.start();
    a.state.importOverrides([override('mine')]);
    // Between our read and our write, the other replica stores its own override.
    const read = a.backend.read.bind(a.backend);
    let reads = 0;
    a.backend.read = async () => {
      const r = await read();
      if (++reads === 1) {
        const cur = standIn.get(PATH);
        standIn.put(PATH, { ...cur, data: { [STATE_DATA_KEY]: JSON.stringify({ version: 1, overrides: [override('theirs')], audit: [], pages: {} }) } });
      }
      return r;
    };
    await a.store.sync();
    const puts = standIn.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts[0].body.metadata.resourceVersion).not.toBe(puts[1].body.metadata.resourceVersion);
    expect(a.store.failures).toBe(0);
    expect(stored().overrides.map((o) => o.id)).toEqual(['mine', 'theirs']);
    expect(a.state.overrides.map((o) => o.id).sort()).toEqual(['mine', 'theirs']);
  });

  test('stand-in: a 403 is counted and logged naming the RBAC verb and resource; the local override is kept', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (obj: { err?: string }) => void warnings.push(obj.err ?? '') } as unknown as Logger;
    standIn.failNext('GET', /configmaps/, 403);
    const a = replica(logger);
    await a.store.start();
    a.state.importOverrides([override('o1')]);
    expect(a.store.failures).toBe(1);
    expect(warnings[0]).toContain('RBAC does not allow verb "get" on configmaps in namespace "wedsync"');
    await a.store.sync();
    expect(stored().overrides.map((o) => o.id)).toEqual(['o1']);
  });
});
