/**
 * The real control plane for tests (test/cluster: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok, built from source). One cluster serves a whole Jest run: the project's
 * globalSetup (real-cluster-global.ts) names its state directory, the first test file that calls
 * `realCluster()` starts it (`up` is idempotent and serialised by an flock, so parallel workers share
 * it), and globalTeardown stops it. Each test file works in namespaces of its own (`createNamespace`).
 *
 * Set WEDSYNC_CLUSTER_DIR to a cluster you started yourself (`npm run cluster -- up`; `npm run cluster
 * -- env` prints it) to reuse it across runs: then the run leaves it running.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeClient } from './real-cluster-client';

export { KubeClient, waitFor, type KubeResponse, type KubeObject } from './real-cluster-client';

const CLUSTER_SCRIPT = join(__dirname, '..', 'cluster', 'cluster.mjs');
const REPO = join(__dirname, '..', '..');
/** Seconds a test file's beforeAll may spend on `realCluster()` (start-up on a loaded 2-core machine). */
export const CLUSTER_START_TIMEOUT_MS = 300_000;

export interface RealCluster {
  /** The cluster's state directory (logs/, audit log, kubeconfigs). */
  dir: string;
  /** An admin kubeconfig (system:masters, static token). */
  kubeconfig: string;
  server: string;
  /** The API server's CA (PEM) and its file. */
  ca: string;
  caFile: string;
  /** The admin's bearer token. */
  token: string;
  /** A client with the admin's rights. */
  admin: KubeClient;
}

let started: Promise<RealCluster> | undefined;

/** The run's cluster, started on first use (reused when already running). */
export function realCluster(): Promise<RealCluster> {
  started ??= startCluster();
  return started;
}

async function startCluster(): Promise<RealCluster> {
  const dir = process.env.WEDSYNC_CLUSTER_DIR ?? join(REPO, '.tmp', 'cluster', 'default');
  const args = [CLUSTER_SCRIPT, 'up', '--json', '--dir', dir];
  if (process.env.WEDSYNC_CLUSTER_OWNER_PID) args.push('--owner-pid', process.env.WEDSYNC_CLUSTER_OWNER_PID);
  let stdout: string;
  try {
    // The binaries are built before Jest (scripts/test.sh runs test/cluster/build.sh): here only cached
    // ones are used, so a missing build fails at once with the command instead of timing out.
    ({ stdout } = await promisify(execFile)(process.execPath, args, {
      env: { ...process.env, WEDSYNC_CLUSTER_CACHED_ONLY: '1' },
      timeout: CLUSTER_START_TIMEOUT_MS - 10_000,
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`starting the real control plane failed: ${e.stderr || e.message}`);
  }
  const up = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { dir: string; kubeconfig: string; server: string; ca: string; token: string };
  const ca = readFileSync(up.ca, 'utf8');
  return { dir: up.dir, kubeconfig: up.kubeconfig, server: up.server, ca, caFile: up.ca, token: up.token, admin: new KubeClient(up.server, ca, up.token) };
}

/** A fresh namespace named `<prefix>-<random>`; its ServiceAccount `default` exists when this resolves. */
export async function createNamespace(cluster: RealCluster, prefix: string, labels: Record<string, string> = {}): Promise<string> {
  const name = `${prefix}-${randomBytes(3).toString('hex')}`;
  await cluster.admin.expect(201, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'wedsync.test/real-cluster': 'true', ...labels } },
  });
  return name;
}

/** Deletes namespaces without waiting for their finalizers (the cluster is thrown away after the run). */
export async function deleteNamespaces(cluster: RealCluster, names: string[]): Promise<void> {
  await Promise.all(names.map((n) => cluster.admin.request('DELETE', `/api/v1/namespaces/${n}`)));
}

/** A token for a ServiceAccount, minted by the API server (TokenRequest), as a pod would be given. */
export async function serviceAccountToken(
  cluster: RealCluster,
  namespace: string,
  name: string,
  opts: { expirationSeconds?: number; boundPod?: string } = {},
): Promise<string> {
  // Bound to a Pod, as the kubelet asks for a pod's token: the API server then names the pod in the
  // user's extra fields, which its audit log shows (`authentication.kubernetes.io/pod-name`).
  const boundObjectRef = opts.boundPod
    ? {
        apiVersion: 'v1',
        kind: 'Pod',
        name: opts.boundPod,
        uid: (await cluster.admin.get(`/api/v1/namespaces/${namespace}/pods/${opts.boundPod}`)).metadata.uid as string,
      }
    : undefined;
  const res = await cluster.admin.expect(201, 'POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`, {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { expirationSeconds: opts.expirationSeconds ?? 3600, ...(boundObjectRef ? { boundObjectRef } : {}) },
  });
  return res.body.status.token as string;
}

/** Writes a kubeconfig for `token` (the agent's `kubernetes.connection: kubeconfig`) and returns its path. */
export function writeKubeconfig(cluster: RealCluster, file: string, token: string, user = 'test-user'): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'wedsync', cluster: { server: cluster.server, 'certificate-authority': cluster.caFile } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'wedsync', context: { cluster: 'wedsync', user } }],
    'current-context': 'wedsync',
  };
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}

/** Lines of the API server's audit log (JSON events) that match `filter`. */
export function auditEvents(cluster: RealCluster, filter: (event: AuditEvent) => boolean = () => true): AuditEvent[] {
  const text = readFileSync(join(cluster.dir, 'logs', 'audit.log'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEvent)
    .filter(filter);
}

export interface AuditEvent {
  auditID: string;
  stage: string;
  verb: string;
  requestURI: string;
  user: { username: string; groups?: string[]; extra?: Record<string, string[]> };
  objectRef?: { resource?: string; namespace?: string; name?: string; subresource?: string; apiGroup?: string };
  responseStatus?: { code?: number; reason?: string; message?: string };
  annotations?: Record<string, string>;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
}
