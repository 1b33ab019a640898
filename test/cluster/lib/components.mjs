// The control plane's components, in start order: how each is started and how we know it is ready.
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { call } from './api.mjs';

/** How often the HPA controller reconciles: "a few seconds", so tests see it act quickly. */
export const HPA_SYNC_PERIOD = '3s';
/** The kwok nodes created at `up`; the node-initialize stage gives each a huge capacity. */
export const NODE_NAMES = ['kwok-node-0', 'kwok-node-1'];
const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

const admin = (state) => ({ server: state.server, token: state.tokens.admin, ca: readFileSync(state.ca, 'utf8') });
const health = (port) => ({ server: `https://127.0.0.1:${port}`, insecure: true });

/**
 * @typedef {{ dir: string, server: string, ca: string, tokens: Record<string, string>,
 *   kubeconfigs: Record<string, string>, ports: Record<string, number> }} State
 * @typedef {{ name: string, binary: string, args: (state: State, bins: Record<string, string>) => string[],
 *   ready: (state: State) => Promise<boolean> }} Component
 */

/** @type {Component[]} */
export const COMPONENTS = [
  {
    name: 'etcd',
    binary: 'etcd',
    args: ({ dir, ports }) => [
      '--name=wedsync',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
      `--initial-cluster=wedsync=http://127.0.0.1:${ports.etcdPeer}`,
      // A test cluster: losing the last writes on a power cut is fine, waiting on fsync is not.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ],
    ready: async ({ ports }) => {
      const res = await fetch(`http://127.0.0.1:${ports.etcdClient}/health`);
      return res.ok && JSON.parse(await res.text()).health === 'true';
    },
  },
  {
    name: 'kube-apiserver',
    binary: 'kube-apiserver',
    args: ({ dir, ports }) => [
      `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
      '--bind-address=127.0.0.1',
      // Also the serving certificate's IP, so clients verify https://127.0.0.1:PORT against its CA.
      '--advertise-address=127.0.0.1',
      // The endpoint reconciler refuses a loopback advertise address ("may not be in the loopback
      // range"): nothing in this cluster reaches the API server through the `kubernetes` Service anyway.
      '--endpoint-reconciler-type=none',
      `--secure-port=${ports.apiserver}`,
      `--cert-dir=${join(dir, 'apiserver')}`,
      `--token-auth-file=${join(dir, 'pki', 'tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(dir, 'pki', 'sa.pub')}`,
      `--service-account-signing-key-file=${join(dir, 'pki', 'sa.key')}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      // Who did what: tests read it (no 403 in a run, a single writer under leader election).
      `--audit-policy-file=${auditPolicy(dir)}`,
      `--audit-log-path=${join(dir, 'logs', 'audit.log')}`,
      '--audit-log-maxsize=200',
      '--audit-log-maxbackup=1',
      '--profiling=false',
    ],
    ready: async (state) => (await call(admin(state), 'GET', '/readyz')).status === 200,
  },
  {
    name: 'kube-controller-manager',
    binary: 'kube-controller-manager',
    args: ({ dir, ports, kubeconfigs }) => [
      `--kubeconfig=${kubeconfigs['kube-controller-manager']}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.controllerManager}`,
      '--leader-elect=false',
      '--controllers=*',
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${join(dir, 'pki', 'sa.key')}`,
      `--root-ca-file=${join(dir, 'apiserver', 'apiserver.crt')}`,
      `--horizontal-pod-autoscaler-sync-period=${HPA_SYNC_PERIOD}`,
      '--profiling=false',
    ],
    // Its own /healthz, and the service-account controller has made the default namespace's account.
    ready: async (state) =>
      (await call(health(state.ports.controllerManager), 'GET', '/healthz')).status === 200 &&
      (await call(admin(state), 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
  },
  {
    name: 'kube-scheduler',
    binary: 'kube-scheduler',
    args: ({ ports, kubeconfigs }) => [
      `--kubeconfig=${kubeconfigs['kube-scheduler']}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.scheduler}`,
      '--leader-elect=false',
      '--profiling=false',
    ],
    ready: async (state) => (await call(health(state.ports.scheduler), 'GET', '/healthz')).status === 200,
  },
  {
    name: 'kwok',
    binary: 'kwok',
    args: ({ dir, kubeconfigs }, bins) => [
      `--kubeconfig=${kubeconfigs.kwok}`,
      ...kwokConfigs(dir, bins['kwok.dir']).map((file) => `--config=${file}`),
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      // The default /24 caps pod IPs at ~254.
      '--cidr=10.244.0.0/16',
      '--node-ip=127.0.0.1',
    ],
    ready: async (state) => {
      const res = await call(admin(state), 'GET', '/api/v1/nodes');
      const nodes = JSON.parse(res.body).items ?? [];
      return NODE_NAMES.every((name) =>
        nodes.some((n) => n.metadata.name === name && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
      );
    },
  },
];

/** The Node objects kwok manages (kwok does not create nodes; it only plays their kubelets). */
export const nodeObjects = () =>
  NODE_NAMES.map((name) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
    },
  }));

/** Metadata-level audit of every request but the control plane's own chatter (kwok, controllers' reads, node leases). */
function auditPolicy(dir) {
  const file = join(dir, 'audit-policy.yaml');
  if (!existsSync(file)) {
    const policy = {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: [
        // kwok plays every kubelet: its status writes would drown the rest.
        { level: 'None', users: ['system:kwok'] },
        { level: 'None', users: ['system:kube-controller-manager', 'system:kube-scheduler'], verbs: ['get', 'list', 'watch'] },
        { level: 'None', userGroups: ['system:serviceaccounts:kube-system'], verbs: ['get', 'list', 'watch'] },
        { level: 'None', resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }], namespaces: ['kube-system', 'kube-node-lease'] },
        { level: 'None', nonResourceURLs: ['/healthz*', '/readyz*', '/livez*', '/version', '/openapi*'] },
        { level: 'Metadata' },
      ],
    };
    writeFileSync(file, JSON.stringify(policy, null, 2));
  }
  return file;
}

/** kwok's stages, passed explicitly (kwok 0.8 manages nothing without them), and its own options. */
function kwokConfigs(dir, toolDir) {
  const shareDir = join(toolDir, 'share');
  const stages = readdirSync(shareDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(shareDir, f));
  const file = join(dir, 'kwok.yaml');
  if (!existsSync(file)) {
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
        kind: 'KwokConfiguration',
        // Every parallelism explicitly: with a config file kwok 0.8 leaves them 0 ("node leases parallelism must be greater than 0").
        options: { nodeLeaseDurationSeconds: 40, nodeLeaseParallelism: 4, podPlayStageParallelism: 8, nodePlayStageParallelism: 4 },
      }),
    );
  }
  return [file, ...stages];
}
