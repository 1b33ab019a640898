/**
 * Faults on a real control plane (issue 21): the agent in act mode (the real Agent, in process, real
 * clock, @kubernetes/client-node on a ServiceAccount token) against a cluster of this file's own
 * (test/support/private-cluster.ts), since kube-apiserver and etcd are stopped here and the run's shared
 * cluster serves other files meanwhile:
 *  - throttling: API Priority and Fairness refuses the agent's requests with 429;
 *  - the target Deployment, or its HPA, deleted under the agent;
 *  - kube-apiserver down for 60 s mid-run;
 *  - etcd restarted.
 * Each time: a clear status and reason, no crash, no scale-down, nothing recreated, and it recovers.
 */
import { Agent } from '../agent/src/app/agent';
import { configSchema } from '../agent/src/app/config-schema';
import { createKubeApi, makeKubeConfig, type KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import type { PushSource } from '../agent/src/sources/push-source';
import { silentLogger } from '../agent/src/util/logger';
import { privateCluster, type PrivateCluster } from './support/private-cluster';
import { CLUSTER_START_TIMEOUT_MS, createNamespace, serviceAccountToken, waitFor, writeKubeconfig } from './support/real-cluster';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
const k8s: KubernetesClientModule = require('@kubernetes/client-node');

/** 420 req/s on pods of 50 at 70 %: 12 replicas. */
const LOAD = 420;
const WANT = 12;

let cluster: PrivateCluster;
let ns: string;
let kubeconfig: string;
const agents: Agent[] = [];
let stopFeeding: (() => void) | null = null;

const deploymentPath = (name: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
async function replicas(name: string): Promise<number | null> {
  const r = await cluster.admin.request('GET', deploymentPath(name)).catch(() => null);
  return r?.status === 200 ? (r.body.spec.replicas as number) : null;
}

function newAgent(targets: Array<{ id: string; name: string }>): { agent: Agent; base: string } {
  const config = configSchema.parse({
    agent: { cluster: 'faults', mode: 'act', tickSeconds: 1, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' },
    sources: { load: { type: 'push', staleAfterSeconds: 30 } },
    forecast: { backfillHours: 0 },
    kubernetes: { connection: 'in-cluster', identity: 'faults-agent', leaseNamespace: ns, leaseDurationSeconds: 15 },
    targets: targets.map((t) => ({
      id: t.id,
      kubernetes: { namespace: ns, name: t.name },
      load: { source: 'load', query: 'rps' },
      capacityPerPod: 50,
      minReplicas: 2,
      maxReplicas: 20,
      podStartupSeconds: 5,
    })),
  });
  const kubeApi = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'kubeconfig', kubeconfig }));
  const agent = new Agent(
    { config, file: 'faults.yaml', baseDir: __dirname },
    { logger: silentLogger, kubeApi, env: { WEDSYNC_API_TOKENS: 'viewer:faults-viewer-token' } },
  );
  agents.push(agent);
  // The load: a steady LOAD pushed every second (the push source's freshness is what the agent trusts).
  const source = agent.sources.load as PushSource;
  const feed = setInterval(() => source.ingest('rps', {}, [[Date.now(), LOAD]], Date.now()), 500);
  source.ingest('rps', {}, [[Date.now(), LOAD]], Date.now());
  stopFeeding = () => clearInterval(feed);
  return { agent, base: '' };
}

async function startAgent(targets: Array<{ id: string; name: string }>) {
  const { agent } = newAgent(targets);
  const addr = await agent.start();
  return { agent, base: `http://127.0.0.1:${addr.port}` };
}

async function stopAgents() {
  stopFeeding?.();
  await Promise.all(agents.splice(0).map((a) => a.stop(3000)));
}

async function createDeployment(name: string, count: number) {
  await cluster.admin.apply([
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: {
        replicas: count,
        selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } },
      },
    },
  ] as never);
}

/** Samples a Deployment's replicas until stopped; the lowest value seen once it had reached `floor`. */
function watchReplicas(name: string, floor: number) {
  let lowest = Infinity;
  let reached = false;
  let running = true;
  const loop = (async () => {
    while (running) {
      const n = await replicas(name);
      if (n !== null) {
        if (n >= floor) reached = true;
        if (reached) lowest = Math.min(lowest, n);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return { stop: async () => ((running = false), await loop, lowest) };
}

beforeAll(async () => {
  cluster = await privateCluster('faults');
  ns = await createNamespace(cluster, 'faults');
  // The agent's own identity, allowed what the shipped Roles allow, in this one namespace (and nothing to create workloads with).
  await cluster.admin.apply([
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'wedsync-agent', namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'wedsync-agent', namespace: ns },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch'] },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['list', 'patch'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create', 'get', 'update'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'get', 'update'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'wedsync-agent', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'wedsync-agent' },
      subjects: [{ kind: 'ServiceAccount', name: 'wedsync-agent', namespace: ns }],
    },
  ] as never);
  kubeconfig = writeKubeconfig(
    cluster,
    join(mkdtempSync(join(tmpdir(), 'wedsync-faults-')), 'kubeconfig.json'),
    await serviceAccountToken(cluster, ns, 'wedsync-agent'),
    'wedsync-agent',
  );
}, CLUSTER_START_TIMEOUT_MS);

afterEach(stopAgents);
afterAll(async () => {
  await stopAgents();
  await cluster?.destroy();
});

const get = async (base: string, path: string) => (await fetch(base + path, { headers: { authorization: 'Bearer faults-viewer-token' } })).json();

describe('faults on a real control plane (private cluster: kube-apiserver, etcd, controllers, kwok)', () => {
  test('real server: the target Deployment deleted under the agent — a clear status and reason, no crash, nothing recreated', async () => {
    await createDeployment('doomed', 2);
    const { agent, base } = await startAgent([{ id: 'doomed', name: 'doomed' }]);
    await waitFor('the agent to scale the target', async () => ((await replicas('doomed')) === WANT ? true : undefined), 60_000);
    await cluster.admin.expect(200, 'DELETE', deploymentPath('doomed'));
    const status = await waitFor(
      'the agent to report the missing target',
      async () => {
        const t = (await get(base, '/api/v1/status')).targets?.find((x: { id: string }) => x.id === 'doomed');
        return t && /not found/.test(JSON.stringify(t)) ? t : undefined;
      },
      30_000,
    );
    expect((status as { scaleError: string }).scaleError).toMatch(/^not found: deployments\.apps "doomed" in namespace "faults-[0-9a-f]+" does not exist/);
    const ticks = agent.state.info.ticks;
    await new Promise((r) => setTimeout(r, 5000));
    expect(agent.state.info.ticks).toBeGreaterThan(ticks);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await replicas('doomed')).toBeNull();
  });

  test("real server: the target's HPA deleted under the agent — it says so and scales the Deployment itself; the HPA is not recreated", async () => {
    await createDeployment('floored', 2);
    const hpaPath = `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/floored`;
    await cluster.admin.apply([
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'floored', namespace: ns },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'floored' },
          minReplicas: 2,
          maxReplicas: 20,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        },
      },
    ] as never);
    const { agent, base } = await startAgent([{ id: 'floored', name: 'floored' }]);
    // With an HPA the agent moves its floor (minReplicas), and the HPA controller scales the Deployment to it.
    await waitFor('the agent to raise the HPA floor', async () => ((await cluster.admin.get(hpaPath)).spec.minReplicas === WANT ? true : undefined), 60_000);
    await cluster.admin.expect(200, 'DELETE', hpaPath);
    await waitFor(
      'the agent to see the HPA gone and scale the Deployment itself',
      async () => {
        const t = agent.state.targets.get('floored')!;
        return t.workload && !t.workload.hpa && (await replicas('floored')) === WANT ? true : undefined;
      },
      30_000,
    );
    const status = (await get(base, '/api/v1/status')).targets.find((x: { id: string }) => x.id === 'floored');
    expect(status).toMatchObject({ scaleError: null, replicas: { current: WANT } });
    await new Promise((r) => setTimeout(r, 3000));
    expect((await cluster.admin.request('GET', hpaPath)).status).toBe(404);
    expect(agent.state.targets.get('floored')!.lastScaleError).toBeNull();
  });

  test('real server: kube-apiserver down for 60 s mid-run — no scale-down, readiness says so, and it reconnects', async () => {
    await createDeployment('steady', 2);
    const { agent, base } = await startAgent([{ id: 'steady', name: 'steady' }]);
    await waitFor('the agent to scale the target', async () => ((await replicas('steady')) === WANT ? true : undefined), 60_000);
    const watch = watchReplicas('steady', WANT);
    await cluster.stop('kube-apiserver');
    const downAt = Date.now();
    const during = await waitFor(
      'the agent to see the API server gone',
      async () => {
        const r = await fetch(`${base}/readyz`);
        const body = (await r.json()) as { kubernetes?: string };
        return /unreachable/.test(JSON.stringify(body)) ? { status: r.status, body } : undefined;
      },
      30_000,
    );
    expect(during.body).toMatchObject({ kubernetes: expect.stringMatching(/unreachable/) });
    await new Promise((r) => setTimeout(r, Math.max(0, 60_000 - (Date.now() - downAt))));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await cluster.start();
    await waitFor(
      'the agent to reconnect',
      async () => {
        const r = await fetch(`${base}/readyz`);
        const body = (await r.json()) as { kubernetes?: string };
        return r.status === 200 && body.kubernetes === 'connected' && agent.state.info.leader ? true : undefined;
      },
      60_000,
    );
    await new Promise((r) => setTimeout(r, 5000));
    expect(await watch.stop()).toBe(WANT);
  }, 240_000);

  test('real server: etcd restarted — no scale-down, and the agent carries on', async () => {
    await createDeployment('durable', 2);
    const { agent } = await startAgent([{ id: 'durable', name: 'durable' }]);
    await waitFor('the agent to scale the target', async () => ((await replicas('durable')) === WANT ? true : undefined), 60_000);
    const watch = watchReplicas('durable', WANT);
    await cluster.stop('etcd');
    await new Promise((r) => setTimeout(r, 10_000));
    await cluster.start();
    const ticks = agent.state.info.ticks;
    await waitFor(
      'the agent to read the target again',
      async () => (agent.state.info.ticks > ticks + 3 && agent.state.targets.get('durable')!.lastScaleError === null ? true : undefined),
      60_000,
    );
    expect(await watch.stop()).toBe(WANT);
  }, 180_000);
});
