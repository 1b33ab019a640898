/**
 * Real API server (kube-apiserver 1.37 built from source, test/cluster): the agent's durable state in its
 * ConfigMap, written through the real @kubernetes/client-node on a ServiceAccount token bound only to the
 * shipped Role (agent/deploy/base/rbac.yaml: create, then get/update by name). Two replicas writing at
 * once meet the server's own 409s (optimistic concurrency on resourceVersion) and merge; a restarted
 * replica reads everything back; at its bounds the ConfigMap's size is measured against the server's
 * 1 MiB limit, which the server enforces.
 */
import { join } from 'node:path';
import { indexCalendar } from '../agent/src/calendar/rules';
import { targetSchema, weddingRulesSchema } from '../agent/src/config/schema';
import { ConfigMapStateBackend, STATE_DATA_KEY } from '../agent/src/durable/configmap-backend';
import { DurableStateStore } from '../agent/src/durable/durable-state-store';
import type { Override } from '../agent/src/plan/types';
import { createKubeApi, makeKubeConfig, type KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import { AgentState, type AuditEntry } from '../agent/src/state';
import { silentLogger } from '../agent/src/util/logger';
import { installShippedRbac } from './support/real-cluster-manifests';
import {
  auditEvents,
  createNamespace,
  deleteNamespaces,
  realCluster,
  serviceAccountToken,
  writeKubeconfig,
  CLUSTER_START_TIMEOUT_MS,
  type RealCluster,
} from './support/real-cluster';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
const k8s: KubernetesClientModule = require('@kubernetes/client-node');

const STATE_CONFIGMAP = 'wedsync-agent-state';
const MAX_AUDIT = 200;
const ONE_MIB = 1024 * 1024;
const now = Date.now();
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
  replicas: 9,
  untilMs: now + 86_400_000,
  untilWeddingEnds: false,
  reason: `first dance and speeches, booked by the venue (${id})`,
  author: 'ops@example.com',
  createdAtMs: now,
});
const auditEntry = (i: number): AuditEntry => ({
  atMs: now + i,
  actor: 'ops@example.com',
  role: 'operator',
  action: 'override.create',
  targetId: 'shop-api',
  detail: {
    id: `ov-${i}`,
    type: 'floor',
    replicas: 9,
    until: new Date(now + 86_400_000).toISOString(),
    reason: 'first dance and speeches, booked by the venue',
  },
});

describe('real API server (kube-apiserver 1.37, test/cluster): the durable state ConfigMap, with the shipped RBAC', () => {
  let cluster: RealCluster;
  let agentNs: string;
  let appNs: string;
  let kubeconfig: string;
  const stores: DurableStateStore[] = [];

  beforeAll(async () => {
    cluster = await realCluster();
    agentNs = await createNamespace(cluster, 'wedsync');
    appNs = await createNamespace(cluster, 'weddings');
    await installShippedRbac(cluster, { wedsync: agentNs, weddings: appNs });
    kubeconfig = writeKubeconfig(
      cluster,
      join(cluster.dir, `state-${agentNs}.kubeconfig`),
      await serviceAccountToken(cluster, agentNs, 'wedsync-agent'),
      'wedsync-agent',
    );
  }, CLUSTER_START_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(stores.map((s) => s.stop()));
    if (cluster) await deleteNamespaces(cluster, [agentNs, appNs]);
  });

  function replica() {
    const api = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'kubeconfig', kubeconfig }));
    const backend = new ConfigMapStateBackend(api, agentNs, STATE_CONFIGMAP);
    const state = new AgentState(
      { version: 't', cluster: 'real', mode: 'act', leader: false, startedAtMs: now, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      [target],
      indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})),
    );
    const store = new DurableStateStore(backend, state, { clock: () => Date.now(), logger: silentLogger, maxAuditEntries: MAX_AUDIT, intervalMs: 3_600_000 });
    stores.push(store);
    return { state, store };
  }
  const storedConfigMap = () => cluster.admin.get(`/api/v1/namespaces/${agentNs}/configmaps/${STATE_CONFIGMAP}`);
  const storedDocument = async () => JSON.parse((await storedConfigMap()).data[STATE_DATA_KEY]) as { overrides: Override[]; audit: AuditEntry[] };

  test('two replicas writing at once: the server answers 409 to the stale write, both merge and agree', async () => {
    const a = replica();
    const b = replica();
    await Promise.all([a.store.start(), b.store.start()]);
    for (let i = 0; i < 15; i++) {
      a.state.importOverrides([override(`a-${i}`)]);
      b.state.importOverrides([override(`b-${i}`)]);
      a.state.audit.push({ ...auditEntry(i), detail: { id: `a-${i}` } });
      b.state.audit.push({ ...auditEntry(i), detail: { id: `b-${i}` } });
      await Promise.all([a.store.sync(), b.store.sync()]);
    }
    await a.store.sync();
    await b.store.sync();
    const ids = [...Array(15).keys()].flatMap((i) => [`a-${i}`, `b-${i}`]).sort();
    expect((await storedDocument()).overrides.map((o) => o.id).sort()).toEqual(ids);
    expect(a.state.overrides.map((o) => o.id).sort()).toEqual(ids);
    expect(b.state.overrides.map((o) => o.id).sort()).toEqual(ids);
    expect((await storedDocument()).audit).toHaveLength(30);
    // The conflicts were the server's: replaces refused with 409 in its audit log, and none lost.
    const writes = auditEvents(
      cluster,
      (e) => e.stage === 'ResponseComplete' && e.objectRef?.namespace === agentNs && e.objectRef?.resource === 'configmaps' && e.verb === 'update',
    );
    expect(writes.filter((e) => e.responseStatus?.code === 409).length).toBeGreaterThan(0);
    expect(writes.filter((e) => ![200, 409].includes(e.responseStatus?.code ?? 0))).toEqual([]);
    expect(a.store.failures + b.store.failures).toBe(0);
  });

  test('a restarted replica reads back every override and the audit trail', async () => {
    const restarted = replica();
    await restarted.store.start();
    expect(restarted.state.overrides).toHaveLength(30);
    expect(restarted.state.audit.toArray()).toHaveLength(30);
  });

  test('at its bounds (200 audit entries, 300 overrides) the ConfigMap stays well under the 1 MiB the server allows', async () => {
    const r = replica();
    await r.store.start();
    for (let i = 0; i < 300; i++) r.state.importOverrides([override(`bound-${i}`)]);
    for (let i = 0; i < 2 * MAX_AUDIT; i++) r.state.audit.push(auditEntry(i));
    await r.store.sync();
    const cm = await storedConfigMap();
    const doc = JSON.parse(cm.data[STATE_DATA_KEY]);
    expect(doc.audit).toHaveLength(MAX_AUDIT);
    expect(doc.overrides).toHaveLength(330);
    const bytes = Buffer.byteLength(cm.data[STATE_DATA_KEY]);
    // Measured (BENCHMARKS.md, "Real control plane"): about 150 KiB; the test keeps a 4× margin.
    expect(bytes).toBeLessThan(ONE_MIB / 4);
    // The limit is the server's, not ours: one byte over 1 MiB of data is refused.
    const over = await cluster.admin.request('PUT', `/api/v1/namespaces/${agentNs}/configmaps/${STATE_CONFIGMAP}`, {
      ...cm,
      data: { [STATE_DATA_KEY]: 'x'.repeat(ONE_MIB + 1) },
    });
    expect(over.status).toBe(422);
    expect(over.body.message).toMatch(/may not be more than 1048576 bytes/);
  });
});
