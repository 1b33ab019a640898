/**
 * A control plane of a test file's own (test/cluster/cluster.mjs in a directory of its own), for fault
 * tests that stop kube-apiserver or etcd: the run's shared cluster (real-cluster.ts) serves other test
 * files at the same time and must stay up. Owned by this Jest worker (the cluster's watchdog tears it
 * down if the worker dies) and removed by `destroy()`.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { KubeClient, type RealCluster } from './real-cluster';

/** The repository root: the folder above that holds test/cluster (this file also runs compiled, from a bench's output folder). */
function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'test', 'cluster', 'cluster.mjs'))) return dir;
  throw new Error(`test/cluster/cluster.mjs not found above ${__dirname}`);
}
const REPO = repoRoot();
const CLUSTER_SCRIPT = join(REPO, 'test', 'cluster', 'cluster.mjs');

export type Component = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';

export interface PrivateCluster extends RealCluster {
  /** Stops one component (SIGTERM, then SIGKILL), as `npm run cluster -- down --only`. */
  stop(component: Component): Promise<void>;
  /** Starts whatever is not running and waits until it is ready (`up`). */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

async function cluster(args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLUSTER_SCRIPT, ...args], {
      env: { ...process.env, WEDSYNC_CLUSTER_CACHED_ONLY: '1' },
      timeout: 280_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`cluster ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

export async function privateCluster(name: string): Promise<PrivateCluster> {
  const dir = join(REPO, '.tmp', 'cluster', `${name}-${process.pid}`);
  const up = async () => {
    const stdout = await cluster(['up', '--json', '--dir', dir, '--owner-pid', String(process.pid)]);
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { dir: string; kubeconfig: string; server: string; ca: string; token: string };
  };
  const info = await up();
  const ca = readFileSync(info.ca, 'utf8');
  return {
    dir: info.dir,
    kubeconfig: info.kubeconfig,
    server: info.server,
    ca,
    caFile: info.ca,
    token: info.token,
    admin: new KubeClient(info.server, ca, info.token),
    stop: async (component) => void (await cluster(['down', '--dir', dir, '--only', component])),
    start: async () => void (await up()),
    destroy: async () => void (await cluster(['down', '--dir', dir, '--purge'])),
  };
}
