/**
 * The whole agent wired for Kubernetes (mode act / dry-run), two replicas against one Kubernetes API
 * stand-in (test/support/kube-api-standin.ts) through the real @kubernetes/client-node: only the leader
 * scales, both serve /metrics with wedsync_agent_leader, overrides persist in the agent's state ConfigMap
 * (in every mode: two shadow replicas agree on them and a restart keeps them), overrides older versions
 * kept in the target's annotation are imported once, and stopping the leader hands the Lease over.
 */
import request from 'supertest';
import { Agent } from '../agent/src/app/agent';
import { configSchema } from '../agent/src/app/config-schema';
import type { Override } from '../agent/src/plan/types';
import { STATE_DATA_KEY } from '../agent/src/durable/configmap-backend';
import { createKubeApi, makeKubeConfig, type KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import { OVERRIDES_ANNOTATION } from '../agent/src/scale/kubernetes/legacy-override-annotation';
import { silentLogger } from '../agent/src/util/logger';
import { KubeApiStandIn } from './support/kube-api-standin';
import { deployment, DEPLOY_PATH } from './support/kube-objects';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
const k8s: KubernetesClientModule = require('@kubernetes/client-node');
const T0 = Date.UTC(2026, 5, 13, 15);
const OPERATOR_TOKEN = 'operator-token-for-the-stand-in-test';
const STATE_PATH = '/api/v1/namespaces/wedsync/configmaps/wedsync-agent-state';
const persisted: Override = {
  id: 'ov-persisted',
  targetId: 'shop-api',
  type: 'floor',
  replicas: 5,
  untilMs: T0 + 86_400_000,
  untilWeddingEnds: false,
  reason: 'speeches',
  author: 'ops',
  createdAtMs: T0 - 60_000,
};

function config(mode: 'act' | 'dry-run' | 'shadow') {
  return configSchema.parse({
    agent: { mode, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' },
    sources: { sim: { type: 'simulator', baseLoad: 400, noise: 0 } },
    kubernetes: { connection: 'in-cluster' },
    forecast: { backfillHours: 0 },
    targets: [
      { id: 'shop-api', kubernetes: { namespace: 'shop', name: 'shop-api' }, load: { source: 'sim', query: 'shop' }, capacityPerPod: 50, maxReplicas: 40 },
    ],
  });
}

describe('agent with the Kubernetes actuator against the API stand-in (real client library)', () => {
  let standIn: KubeApiStandIn;
  const agents: Agent[] = [];
  const newAgent = (mode: 'act' | 'dry-run' | 'shadow', identity: string) => {
    const kubeApi = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: standIn.kubeConfigOptions() }));
    const env = { POD_NAME: identity, WEDSYNC_API_TOKENS: `operator:${OPERATOR_TOKEN}` };
    const agent = new Agent({ config: config(mode), file: 'test.yaml', baseDir: __dirname }, { clock: () => T0, logger: silentLogger, kubeApi, env });
    agents.push(agent);
    return agent;
  };
  const scalePatches = () => standIn.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/scale'));
  const storedState = () =>
    JSON.parse(standIn.get(STATE_PATH).data[STATE_DATA_KEY]) as { overrides: Override[]; audit: Array<{ action: string; detail: { id: string } }> };
  const api = (addr: { port: number }) => request(`http://127.0.0.1:${addr.port}`);
  const auth = { Authorization: `Bearer ${OPERATOR_TOKEN}` };

  beforeEach(async () => {
    standIn = new KubeApiStandIn();
    await standIn.start();
    const d = deployment(3);
    standIn.put(DEPLOY_PATH, {
      ...d,
      metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [OVERRIDES_ANNOTATION]: JSON.stringify([persisted]) } },
    });
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await standIn.stop();
  });

  test('stand-in: two replicas — one leads and scales, both serve reads; overrides persist; stopping the leader hands over', async () => {
    const a = newAgent('act', 'agent-a');
    const addrA = await a.start();
    await a.loop.trigger();
    const b = newAgent('act', 'agent-b');
    const addrB = await b.start();
    await b.loop.trigger();

    expect([a.state.info.leader, b.state.info.leader]).toEqual([true, false]);
    expect((await request(`http://127.0.0.1:${addrA.port}`).get('/metrics')).text).toMatch(/^wedsync_agent_leader 1$/m);
    expect((await request(`http://127.0.0.1:${addrB.port}`).get('/metrics')).text).toMatch(/^wedsync_agent_leader 0$/m);

    // Overrides an older version kept in the annotation were imported at the first start, by both replicas.
    expect(a.state.overrides).toEqual([persisted]);
    expect(b.state.overrides).toEqual([persisted]);

    // Only the leader patched the workload (load 400 on 3 pods of capacity 50: scale up), with an Event.
    expect(scalePatches().length).toBeGreaterThanOrEqual(1);
    expect(scalePatches().every((p) => p.body.spec.replicas > 3)).toBe(true);
    expect(b.state.targets.get('shop-api')!.decision!.desiredReplicas).toBeGreaterThan(3); // B decides too, but does not act
    const events = standIn.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/namespaces/shop/events');
    expect(events[0].body).toMatchObject({ reason: 'WedSyncScaledUp', involvedObject: { name: 'shop-api' } });
    const patchesBefore = scalePatches().length;
    await b.loop.trigger();
    expect(scalePatches().length).toBe(patchesBefore);

    // An override set through the follower's API is audited as an Event on the target, and reaches the
    // state ConfigMap and the leader.
    const res = await request(`http://127.0.0.1:${addrB.port}`)
      .post('/api/v1/overrides')
      .set('Authorization', `Bearer ${OPERATOR_TOKEN}`)
      .send({ target: 'shop-api', type: 'pin', replicas: 9, until: new Date(T0 + 3600_000).toISOString(), reason: 'first dance' })
      .expect(201);
    await b.durable!.sync();
    await a.durable!.sync();
    expect(a.state.overrides.map((o) => o.id).sort()).toEqual([res.body.id, 'ov-persisted'].sort());
    expect(
      storedState()
        .overrides.map((o) => o.id)
        .sort(),
    ).toEqual([res.body.id, 'ov-persisted'].sort());
    // The annotation is never written again: it still holds only what the older version left.
    expect(JSON.parse(standIn.get(DEPLOY_PATH).metadata.annotations[OVERRIDES_ANNOTATION]).map((o: Override) => o.id)).toEqual(['ov-persisted']);
    expect(standIn.requests.filter((r) => r.method === 'PATCH' && r.path === DEPLOY_PATH)).toEqual([]);
    const audit = standIn.requests.find((r) => r.method === 'POST' && r.body?.reason === 'WedSyncAudit')!;
    expect(audit.body.involvedObject).toMatchObject({ kind: 'Deployment', name: 'shop-api', namespace: 'shop' });
    expect(audit.body.message).toMatch(/^env-operator-1 \(operator\) /);
    expect(audit.body.message).not.toContain(OPERATOR_TOKEN);

    // Handover: the leader stops and releases the Lease; the standby leads at its next round.
    await a.stop();
    expect(await b.actuator!.elector.tryAcquireOrRenew()).toBe(true);
    expect(b.state.info.leader).toBe(true);
    expect(standIn.get('/apis/coordination.k8s.io/v1/namespaces/wedsync/leases/wedsync-agent').spec).toMatchObject({
      holderIdentity: 'agent-b',
      leaseTransitions: 1,
    });
  });

  test('stand-in: dry-run decides and exports but patches nothing and writes no Events or annotations, only its own Lease and state', async () => {
    const c = newAgent('dry-run', 'agent-c');
    const addr = await c.start();
    await c.loop.trigger();
    c.state.importOverrides([{ ...persisted, id: 'ov-local' }]);
    await c.durable!.sync();
    expect(c.state.info.leader).toBe(true);
    expect(c.state.targets.get('shop-api')!.decision!.desiredReplicas).toBeGreaterThan(3);
    // An access review (may it list nodes?) asks, it changes nothing.
    const writes = standIn.requests.filter(
      (r) =>
        r.method !== 'GET' &&
        !r.path.includes('/leases') &&
        r.path !== STATE_PATH &&
        r.path !== '/api/v1/namespaces/wedsync/configmaps' &&
        !r.path.endsWith('/selfsubjectaccessreviews'),
    );
    expect(writes).toEqual([]);
    expect(
      storedState()
        .overrides.map((o) => o.id)
        .sort(),
    ).toEqual(['ov-local', 'ov-persisted']);
    const metrics = (await request(`http://127.0.0.1:${addr.port}`).get('/metrics')).text;
    expect(metrics).toMatch(/wedsync_agent_shadow_held_back_total\{target="shop-api",direction="up"\} [1-9]/);
  });

  test('stand-in: shadow mode reports what the agent would run against what the HPA ran', async () => {
    standIn.put('/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers/shop-api', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'shop-api', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop-api' }, minReplicas: 2, maxReplicas: 20 },
      status: { currentReplicas: 3, desiredReplicas: 4 },
    });
    const s = newAgent('shadow', 'agent-s');
    const addr = await s.start();
    await s.loop.trigger();
    const cmp = s.actuator!.shadow.targets.get('shop-api')!;
    expect(cmp.clusterReplicas).toBe(4);
    expect(cmp.agentReplicas).toBe(s.state.targets.get('shop-api')!.decision!.desiredReplicas);
    expect(cmp.ticksAgentHigher).toBeGreaterThanOrEqual(1);
    expect((await request(`http://127.0.0.1:${addr.port}`).get('/metrics')).text).toMatch(/^wedsync_agent_shadow_cluster_replicas\{target="shop-api"\} 4$/m);
    expect(standIn.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
  });

  test('stand-in: two shadow replicas agree on an override set through either, and a restart keeps it and its audit entry', async () => {
    const a = newAgent('shadow', 'shadow-a');
    const addrA = await a.start();
    const b = newAgent('shadow', 'shadow-b');
    const addrB = await b.start();
    const until = new Date(T0 + 3600_000).toISOString();
    const viaA = (
      await api(addrA).post('/api/v1/overrides').set(auth).send({ target: 'shop-api', type: 'floor', replicas: 8, until, reason: 'speeches' }).expect(201)
    ).body as { id: string };
    const viaB = (
      await api(addrB).post('/api/v1/overrides').set(auth).send({ target: 'shop-api', type: 'pin', replicas: 9, until, reason: 'first dance' }).expect(201)
    ).body as { id: string };
    // The API nudges a round; one more on each side and both have both.
    await a.durable!.sync();
    await b.durable!.sync();
    await a.durable!.sync();
    const ids = (body: { overrides: Array<{ id: string }> }) => body.overrides.map((o) => o.id).sort();
    const expected = [viaA.id, viaB.id, 'ov-persisted'].sort();
    expect(ids((await api(addrA).get('/api/v1/overrides').set(auth).expect(200)).body)).toEqual(expected);
    expect(ids((await api(addrB).get('/api/v1/overrides').set(auth).expect(200)).body)).toEqual(expected);

    // Removed through B: gone on A as well.
    await api(addrB).delete(`/api/v1/overrides/${viaA.id}`).set(auth).expect(200);
    await b.durable!.sync();
    await a.durable!.sync();
    expect(ids((await api(addrA).get('/api/v1/overrides').set(auth).expect(200)).body)).toEqual([viaB.id, 'ov-persisted'].sort());
    expect(storedState().audit.map((e) => e.action)).toEqual(['override.create', 'override.create', 'override.delete']);
    expect(standIn.requests.filter((r) => r.method === 'PATCH')).toEqual([]);

    // Both replicas restart: the override and the audit trail are still there.
    await Promise.all(agents.splice(0).map((x) => x.stop()));
    const c = newAgent('shadow', 'shadow-c');
    const addrC = await c.start();
    expect(ids((await api(addrC).get('/api/v1/overrides').set(auth).expect(200)).body)).toEqual([viaB.id, 'ov-persisted'].sort());
    const trail = (await api(addrC).get('/api/v1/audit').set(auth).expect(200)).body as { entries: Array<{ action: string }> };
    expect(trail.entries.map((e) => e.action).sort()).toEqual(['override.create', 'override.create', 'override.delete']);
  });
});
