/**
 * Real API server (test/cluster): two built agents in act mode on one real Lease, each on a token bound
 * to its own Pod (as a pod's projected token is), so the API server's audit log names the pod behind
 * every write. SIGKILL the leader (no chance to release the Lease): the other takes over within the lease
 * duration plus a tick, and there are never two writers: every scale write of the killed agent precedes
 * every write of its successor, and the successor writes only once it holds the Lease.
 */
import { join } from 'node:path';
import { AgentProcess } from './support/real-cluster-agent';
import { installShippedRbac } from './support/real-cluster-manifests';
import {
  auditEvents,
  createNamespace,
  deleteNamespaces,
  realCluster,
  serviceAccountToken,
  waitFor,
  writeKubeconfig,
  CLUSTER_START_TIMEOUT_MS,
  type AuditEvent,
  type RealCluster,
} from './support/real-cluster';
import { deploymentObject } from './support/real-cluster-workloads';

const LEASE_SECONDS = 6;
const TICK_SECONDS = 1;
const POD_NAME_KEY = 'authentication.kubernetes.io/pod-name';

describe('real API server (test/cluster): leader election on a real Lease', () => {
  let cluster: RealCluster;
  let agentNs: string;
  let appNs: string;
  let agentUser: string;
  const agents: AgentProcess[] = [];
  let pusher: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    cluster = await realCluster();
    agentNs = await createNamespace(cluster, 'wedsync');
    appNs = await createNamespace(cluster, 'weddings');
    agentUser = await installShippedRbac(cluster, { wedsync: agentNs, weddings: appNs });
    await cluster.admin.apply([deploymentObject(appNs, 'api', 2)]);
    // The two replicas' pods (kwok runs them); their tokens are bound to them.
    await cluster.admin.apply(
      ['a', 'b'].map((x) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `wedsync-agent-${x}`, namespace: agentNs },
        spec: { serviceAccountName: 'wedsync-agent', containers: [{ name: 'agent', image: 'registry.invalid/wedsync-agent:test' }] },
      })),
    );
  }, CLUSTER_START_TIMEOUT_MS);

  afterAll(async () => {
    clearInterval(pusher);
    await Promise.all(agents.map((a) => a.stop('SIGKILL')));
    if (cluster) await deleteNamespaces(cluster, [agentNs, appNs]);
  });

  async function startAgent(x: 'a' | 'b'): Promise<AgentProcess> {
    const pod = `wedsync-agent-${x}`;
    const token = await serviceAccountToken(cluster, agentNs, 'wedsync-agent', { boundPod: pod });
    const kubeconfig = writeKubeconfig(cluster, join(cluster.dir, `leader-${agentNs}-${x}.kubeconfig`), token, pod);
    const agent = await AgentProcess.start({
      identity: pod,
      kubeconfig,
      config: (port) =>
        [
          `agent: { cluster: real, mode: act, tickSeconds: ${TICK_SECONDS}, listen: { host: 127.0.0.1, port: ${port} }, logLevel: info }`,
          'sources: { push: { type: push } }',
          'forecast: { backfillHours: 0 }',
          `kubernetes: { connection: kubeconfig, kubeconfig: ${kubeconfig}, leaseNamespace: ${agentNs}, leaseDurationSeconds: ${LEASE_SECONDS}, identity: ${pod} }`,
          // Scale-ups only (no stabilisation wait), one pod per step: a write on almost every tick.
          'policy: { maxScaleUpPods: 1, maxScaleUpRatio: 0.01, stepPeriodSeconds: 1 }',
          `targets: [{ id: api, kubernetes: { namespace: ${appNs}, name: api }, load: { source: push, query: api_rps }, capacityPerPod: 10, minReplicas: 2, maxReplicas: 60 }]`,
        ].join('\n'),
    });
    agents.push(agent);
    return agent;
  }
  const isLeader = async (agent: AgentProcess) => /^wedsync_agent_leader 1$/m.test((await agent.get('/metrics')) as string);
  const lease = () => cluster.admin.get(`/apis/coordination.k8s.io/v1/namespaces/${agentNs}/leases/wedsync-agent`);

  test('SIGKILL the leader: the other leads within the lease duration plus a tick; never two writers', async () => {
    const a = await startAgent('a');
    await waitFor('agent a to lead', async () => ((await isLeader(a)) ? true : undefined), 60_000);
    const b = await startAgent('b');
    // Load that keeps rising, so the leader has a scale-up to write on (almost) every tick.
    const t0 = Date.now();
    const load = () => 20 + Math.floor((Date.now() - t0) / 1000) * 10;
    pusher = setInterval(() => void Promise.all(agents.map((x) => x.push('api_rps', load()).catch(() => undefined))), 500);
    await waitFor('a few scale writes by agent a', async () => (writesBy('wedsync-agent-a').length >= 3 ? true : undefined), 60_000, 500);
    expect(await isLeader(b)).toBe(false);

    const killedAt = Date.now();
    expect(await a.stop('SIGKILL')).toBeNull(); // killed by the signal: no exit code, no Lease release
    const tookOverAt = await waitFor(
      'agent b to hold the Lease',
      async () => ((await lease()).spec.holderIdentity === 'wedsync-agent-b' ? Date.now() : undefined),
      60_000,
      100,
    );
    const takeoverSeconds = (tookOverAt - killedAt) / 1000;
    expect(takeoverSeconds).toBeLessThanOrEqual(LEASE_SECONDS + TICK_SECONDS + 1); // +1: this poll's own delay on a loaded machine
    await waitFor('scale writes by agent b', async () => (writesBy('wedsync-agent-b').length >= 2 ? true : undefined), 60_000, 500);

    const fromA = writesBy('wedsync-agent-a');
    const fromB = writesBy('wedsync-agent-b');
    const acquired = Date.parse((await lease()).spec.acquireTime);
    const lastA = Math.max(...fromA.map(at));
    const firstB = Math.min(...fromB.map(at));
    // Never two writers: a wrote only before it was killed, b only after it acquired the Lease.
    expect(lastA).toBeLessThanOrEqual(killedAt);
    expect(firstB).toBeGreaterThanOrEqual(acquired);
    expect(firstB).toBeGreaterThan(lastA);
    expect((await lease()).spec.leaseTransitions).toBeGreaterThanOrEqual(1);
  }, 300_000);

  /** The agent's writes to the target (scale patches, Events), as the audit log records them, by pod. */
  function writesBy(pod: string): AuditEvent[] {
    return auditEvents(
      cluster,
      (e) =>
        e.stage === 'ResponseComplete' &&
        e.user.username === agentUser &&
        e.user.extra?.[POD_NAME_KEY]?.[0] === pod &&
        e.objectRef?.namespace === appNs &&
        ['patch', 'update', 'create'].includes(e.verb),
    );
  }
  const at = (e: AuditEvent) => Date.parse(e.requestReceivedTimestamp);
});
