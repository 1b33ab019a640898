/**
 * The built agent as a real process (`wedsync-agent run`, as the Deployment runs it) with
 * kubernetes.connection "kubeconfig" against the Kubernetes API stand-in: the compiled CommonJS loads the
 * ESM-only @kubernetes/client-node through its real dynamic import, reads the kubeconfig file, takes the
 * Lease, scales, and on SIGTERM releases the Lease for the standby. Needs `npm run build` (npm test builds).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeApiStandIn } from './support/kube-api-standin';
import { deployment, DEPLOY_PATH } from './support/kube-objects';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'agent', 'bin', 'wedsync-agent.js');
const LEASE = '/apis/coordination.k8s.io/v1/namespaces/wedsync/leases/wedsync-agent';

/** Polls a condition on real time (a real child process is involved; nothing to fake). */
async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('wedsync-agent run with a kubeconfig (built CLI process, Kubernetes API stand-in)', () => {
  let standIn: KubeApiStandIn;
  beforeAll(async () => {
    standIn = new KubeApiStandIn();
    await standIn.start();
  });
  afterAll(() => standIn.stop());

  test('stand-in: the process takes the Lease, scales the Deployment with an Event, and releases the Lease on SIGTERM', async () => {
    expect(
      existsSync(join(ROOT, 'agent/dist/scale/kubernetes/actuator.js')) ||
        'agent/dist is missing or stale: run `npm run build -w agent` (npm test builds first)',
    ).toBe(true);
    standIn.put(DEPLOY_PATH, deployment(3));
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-kube-'));
    writeFileSync(
      join(dir, 'kubeconfig.yaml'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: standin\n  cluster: { server: "${standIn.url}", insecure-skip-tls-verify: true }\nusers:\n- name: agent\n  user: { token: standin-token }\ncontexts:\n- name: standin\n  context: { cluster: standin, user: agent }\ncurrent-context: standin\n`,
    );
    writeFileSync(
      join(dir, 'config.yaml'),
      [
        'agent: { mode: act, tickSeconds: 1, listen: { host: 127.0.0.1, port: 0 }, logLevel: warn }',
        'sources: { sim: { type: simulator, baseLoad: 400, noise: 0 } }',
        'forecast: { backfillHours: 0 }',
        'kubernetes: { connection: kubeconfig, kubeconfig: kubeconfig.yaml, identity: cli-agent }',
        'targets:',
        '  - { id: shop-api, kubernetes: { namespace: shop, name: shop-api }, load: { source: sim, query: shop }, capacityPerPod: 50, maxReplicas: 40 }',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [BIN, 'run', '--config', join(dir, 'config.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until('a scale patch', () => standIn.requests.some((r) => r.method === 'PATCH' && r.path === `${DEPLOY_PATH}/scale`));
      expect(standIn.get(LEASE).spec.holderIdentity).toBe('cli-agent');
      const patch = standIn.requests.find((r) => r.method === 'PATCH' && r.path === `${DEPLOY_PATH}/scale`)!;
      expect(patch.contentType).toBe('application/merge-patch+json');
      expect(patch.body.spec.replicas).toBeGreaterThan(3);
      await until('the scaling Event', () => standIn.requests.some((r) => r.method === 'POST' && r.body?.reason === 'WedSyncScaledUp'));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(standIn.get(LEASE).spec.holderIdentity ?? null).toBeNull();
    expect(output).not.toMatch(/standin-token/);
  });

  test('a kubeconfig that cannot be read stops start-up with an error naming the connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-kube-'));
    writeFileSync(
      join(dir, 'config.yaml'),
      [
        'agent: { mode: act, listen: { host: 127.0.0.1, port: 0 }, logLevel: silent }',
        'sources: { sim: { type: simulator } }',
        'kubernetes: { connection: kubeconfig, kubeconfig: missing-kubeconfig.yaml }',
        'targets: [{ id: shop-api, kubernetes: { namespace: shop, name: shop-api }, load: { source: sim, query: shop }, capacityPerPod: 50, maxReplicas: 40 }]',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [BIN, 'run', '--config', join(dir, 'config.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('cannot connect to Kubernetes (kubernetes.connection "kubeconfig")');
    expect(stderr).toContain('missing-kubeconfig.yaml');
  });
});
