/**
 * Real API server and controllers (test/cluster: kube-apiserver, kube-controller-manager with the real
 * ReplicaSet and HPA controllers, kube-scheduler, kwok nodes): the built agent in act mode, on a
 * ServiceAccount token bound only to the shipped Roles (agent/deploy/base/rbac.yaml, moved into this
 * file's namespaces), answers a 10× pushed load step. It scales a plain Deployment through the scale
 * subresource and raises a real HPA's minReplicas (the HPA controller then scales); the pods are created by
 * the ReplicaSet controller and made Ready by kwok, and the agent measures that start-up. The API server's
 * audit log shows no 403 for the agent, and requests outside its Roles are refused by the server.
 */
import { join } from 'node:path';
import { AgentProcess } from './support/real-cluster-agent';
import { inNamespaces, renderOverlay } from './support/real-cluster-manifests';
import {
  auditEvents,
  createNamespace,
  deleteNamespaces,
  realCluster,
  serviceAccountToken,
  waitFor,
  writeKubeconfig,
  CLUSTER_START_TIMEOUT_MS,
  type RealCluster,
} from './support/real-cluster';
import { deploymentObject, deploymentReplicas, hpaObject, readyPods } from './support/real-cluster-workloads';

const SHIPPED_RBAC_KINDS = new Set(['ServiceAccount', 'Role', 'RoleBinding']);
const BASE_LOAD = 100;
const STEP_LOAD = 10 * BASE_LOAD;
const CAPACITY_PER_POD = 50;

describe('real API server and controllers (test/cluster): act mode with exactly the shipped RBAC', () => {
  let cluster: RealCluster;
  let agentNs: string;
  let appNs: string;
  let agent: AgentProcess | undefined;
  let agentUser: string;
  let agentToken: string;
  let pusher: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    cluster = await realCluster();
    agentNs = await createNamespace(cluster, 'wedsync');
    appNs = await createNamespace(cluster, 'weddings');
    agentUser = `system:serviceaccount:${agentNs}:wedsync-agent`;
    const rbac = inNamespaces(renderOverlay('agent/deploy'), { wedsync: agentNs, weddings: appNs }).filter((o) => SHIPPED_RBAC_KINDS.has(o.kind));
    expect(rbac.map((o) => `${o.kind}/${o.metadata.namespace}`).sort()).toEqual(
      [`Role/${agentNs}`, `Role/${appNs}`, `RoleBinding/${agentNs}`, `RoleBinding/${appNs}`, `ServiceAccount/${agentNs}`].sort(),
    );
    await cluster.admin.apply(rbac);
    // The Role names the targets it may scale: `api` (no HPA) and `photo-upload` (with an HPA).
    await cluster.admin.apply([
      deploymentObject(appNs, 'api', 2),
      deploymentObject(appNs, 'photo-upload', 2),
      hpaObject(appNs, 'photo-upload', 2, 60),
      deploymentObject(appNs, 'not-a-target', 1),
    ]);
    agentToken = await serviceAccountToken(cluster, agentNs, 'wedsync-agent');
  }, CLUSTER_START_TIMEOUT_MS);

  afterAll(async () => {
    clearInterval(pusher);
    await agent?.stop();
    if (cluster) await deleteNamespaces(cluster, [agentNs, appNs]);
  });

  test('a 10× load step: the plain Deployment is scaled, the HPA floor raised, pods Ready under kwok, no 403', async () => {
    const kubeconfig = writeKubeconfig(cluster, join(cluster.dir, `agent-${agentNs}.kubeconfig`), agentToken, 'wedsync-agent');
    agent = await AgentProcess.start({
      identity: 'agent-a',
      kubeconfig,
      config: (port) =>
        [
          `agent: { cluster: real, mode: act, tickSeconds: 2, listen: { host: 127.0.0.1, port: ${port} }, logLevel: info }`,
          'sources: { push: { type: push } }',
          'forecast: { backfillHours: 0 }',
          `kubernetes: { connection: kubeconfig, kubeconfig: ${kubeconfig}, leaseNamespace: ${agentNs}, identity: agent-a }`,
          'targets:',
          `  - { id: api, kubernetes: { namespace: ${appNs}, name: api }, load: { source: push, query: api_rps }, capacityPerPod: ${CAPACITY_PER_POD}, minReplicas: 2, maxReplicas: 40 }`,
          `  - { id: photo-upload, kubernetes: { namespace: ${appNs}, name: photo-upload }, load: { source: push, query: photo_rps }, capacityPerPod: ${CAPACITY_PER_POD}, minReplicas: 2, maxReplicas: 40 }`,
        ].join('\n'),
    });
    let load = BASE_LOAD;
    const pushBoth = () => Promise.all([agent!.push('api_rps', load), agent!.push('photo_rps', load)]);
    await pushBoth();
    pusher = setInterval(() => void pushBoth().catch(() => undefined), 1000);
    // The steady state first: 100 rps on 50-rps pods is what the 2 pods serve.
    await waitFor(
      'the agent to lead and read both targets',
      async () => ((await agent!.get('/metrics')) as string).match(/^wedsync_agent_leader 1$/m) ?? undefined,
      60_000,
    );

    load = STEP_LOAD;
    await pushBoth();
    const wanted = STEP_LOAD / CAPACITY_PER_POD;
    // The plain Deployment: scaled by the agent through the scale subresource, pods made by the ReplicaSet controller, Ready by kwok.
    await waitFor(
      `api to reach ${wanted} Ready pods`,
      async () => ((await deploymentReplicas(cluster.admin, appNs, 'api')).ready >= wanted ? true : undefined),
      180_000,
      1000,
    );
    // The HPA target: the agent raised minReplicas; the HPA controller scaled the Deployment.
    await waitFor(
      `photo-upload's HPA floor to reach ${wanted} and its pods to be Ready`,
      async () => {
        const hpa = await cluster.admin.get(`/apis/autoscaling/v2/namespaces/${appNs}/horizontalpodautoscalers/photo-upload`);
        return hpa.spec.minReplicas >= wanted && (await deploymentReplicas(cluster.admin, appNs, 'photo-upload')).ready >= wanted ? true : undefined;
      },
      180_000,
      1000,
    );
    expect(await readyPods(cluster.admin, appNs, 'api')).toBeGreaterThanOrEqual(wanted);

    // The agent measured the start-up it waited for (spec.replicas raised → readyReplicas caught up).
    await waitFor(
      'the measured pod start-up in /metrics',
      async () => ((await agent!.get('/metrics')) as string).match(/^wedsync_agent_pod_startup_seconds\{[^}]*target="api"[^}]*\} [0-9.e+-]+$/m) ?? undefined,
      60_000,
      1000,
    );

    // Who wrote what, from the API server's audit log.
    const events = auditEvents(cluster, (e) => e.stage === 'ResponseComplete');
    const byAgent = events.filter((e) => e.user.username === agentUser);
    expect(byAgent.length).toBeGreaterThan(10);
    expect(byAgent.filter((e) => e.responseStatus?.code === 403).map((e) => `${e.verb} ${e.requestURI}`)).toEqual([]);
    const scaleWrites = (user: string, name: string) =>
      events.filter(
        (e) =>
          e.user.username === user &&
          e.objectRef?.namespace === appNs &&
          e.objectRef?.name === name &&
          e.objectRef?.subresource === 'scale' &&
          e.verb !== 'get',
      );
    expect(scaleWrites(agentUser, 'api').length).toBeGreaterThan(0);
    // photo-upload has an HPA: the agent moved its floor and left the replicas to the HPA controller.
    expect(scaleWrites(agentUser, 'photo-upload')).toEqual([]);
    expect(scaleWrites('system:serviceaccount:kube-system:horizontal-pod-autoscaler', 'photo-upload').length).toBeGreaterThan(0);
    expect(byAgent.some((e) => e.verb === 'patch' && e.objectRef?.resource === 'horizontalpodautoscalers' && e.objectRef?.name === 'photo-upload')).toBe(true);
  }, 420_000);

  test('requests outside the shipped Roles are refused by the server (403)', async () => {
    const asAgent = cluster.admin.as(agentToken);
    const deploy = (name: string) => `/apis/apps/v1/namespaces/${appNs}/deployments/${name}`;
    const merge = 'application/merge-patch+json';
    const refused = {
      'delete a target Deployment': await asAgent.request('DELETE', deploy('api')),
      'scale a Deployment that is not a target': await asAgent.request('PATCH', `${deploy('not-a-target')}/scale`, { spec: { replicas: 5 } }, merge),
      'change a target’s pod template': await asAgent.request('PATCH', deploy('api'), { spec: { template: { metadata: { labels: { x: 'y' } } } } }, merge),
      'create a Deployment': await asAgent.request('POST', `/apis/apps/v1/namespaces/${appNs}/deployments`, deploymentObject(appNs, 'intruder', 1)),
      'write a ConfigMap in another namespace': await asAgent.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'x' }, data: {} }),
      'replace a ConfigMap other than its state': await asAgent.request('PUT', `/api/v1/namespaces/${agentNs}/configmaps/kube-root-ca.crt`, {
        metadata: { name: 'kube-root-ca.crt' },
        data: {},
      }),
      'read Secrets': await asAgent.request('GET', `/api/v1/namespaces/${agentNs}/secrets`),
      'list pods': await asAgent.request('GET', `/api/v1/namespaces/${appNs}/pods`),
      'take another Lease': await asAgent.request('PUT', `/apis/coordination.k8s.io/v1/namespaces/${agentNs}/leases/someone-else`, {
        metadata: { name: 'someone-else' },
        spec: {},
      }),
    };
    expect(Object.fromEntries(Object.entries(refused).map(([what, res]) => [what, res.status]))).toEqual(
      Object.fromEntries(Object.keys(refused).map((what) => [what, 403])),
    );
    // And the Deployment is still there.
    expect((await deploymentReplicas(cluster.admin, appNs, 'api')).spec).toBeGreaterThan(0);
  });
});
