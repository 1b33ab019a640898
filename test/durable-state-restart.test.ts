/**
 * Overrides and pages survive a SIGKILL in shadow mode. The built agent as a real process (`wedsync-agent
 * run`, as the Deployment runs it) in shadow mode, connected through a kubeconfig to the Kubernetes API
 * stand-in (test/support/kube-api-standin.ts; the real @kubernetes/client-node), paging a local HTTPS
 * stand-in of the PagerDuty Events API (the real @pagerduty/pdjs; its self-signed certificate trusted
 * through NODE_EXTRA_CA_CERTS). The target sits at maxReplicas and overloaded, which pages; the test sets
 * an override, kills the process with SIGKILL (no shutdown code runs), and starts it again. A second
 * test does the same without a cluster, through the state file under state.directory.
 * Needs `npm run build -w agent` (npm test builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { STATE_DATA_KEY } from '../agent/src/durable/configmap-backend';
import { KubeApiStandIn } from './support/kube-api-standin';
import { deployment, DEPLOY_PATH } from './support/kube-objects';
import { selfSignedCert, startCaptureServer, type CaptureServer } from './sinks-capture';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'agent', 'bin', 'wedsync-agent.js');
const STATE_PATH = '/api/v1/namespaces/wedsync/configmaps/wedsync-agent-state';
const TOKEN = 'operator-token-for-the-restart-test';
const DEDUP_KEY = 'wedsync/restart-test/pinned-at-max-overloaded/shop-api';

/** Polls a condition on real time (a real child process is involved; nothing to fake). */
async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface RunningAgent {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<NodeJS.Signals | number | null>;
}

describe('state survives a SIGKILL in shadow mode (built CLI process; Kubernetes API and PagerDuty stand-ins)', () => {
  let standIn: KubeApiStandIn;
  let pd: CaptureServer;
  let dir: string;
  const running: RunningAgent[] = [];

  beforeAll(async () => {
    standIn = new KubeApiStandIn();
    await standIn.start();
    const tls = selfSignedCert();
    pd = await startCaptureServer({ tls, respond: () => ({ status: 202, body: '{"status":"success"}' }) });
    dir = mkdtempSync(join(tmpdir(), 'wedsync-restart-'));
    writeFileSync(join(dir, 'pd-ca.pem'), tls.cert);
    writeFileSync(
      join(dir, 'kubeconfig.yaml'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: standin\n  cluster: { server: "${standIn.url}", insecure-skip-tls-verify: true }\nusers:\n- name: agent\n  user: { token: standin-token }\ncontexts:\n- name: standin\n  context: { cluster: standin, user: agent }\ncurrent-context: standin\n`,
    );
    writeFileSync(
      join(dir, 'config.yaml'),
      [
        'agent: { cluster: restart-test, mode: shadow, tickSeconds: 1, listen: { host: 127.0.0.1, port: 0 }, logLevel: info }',
        // At least 1100 requests/s on 3 pods of capacity 50: overloaded at maxReplicas, whatever the hour.
        'sources: { sim: { type: simulator, baseLoad: 2000, noise: 0 } }',
        'forecast: { backfillHours: 0 }',
        'kubernetes: { connection: kubeconfig, kubeconfig: kubeconfig.yaml, identity: restart-agent }',
        'targets:',
        '  - { id: shop-api, kubernetes: { namespace: shop, name: shop-api }, load: { source: sim, query: shop }, capacityPerPod: 50, maxReplicas: 3 }',
        'sinks:',
        `  - { type: pagerduty, routingKey: "\${PD_ROUTING_KEY}", server: "${pd.hostPort}" }`,
        'paging: { overloadedAfterSeconds: 0 }',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await Promise.all(running.map((r) => r.exited));
    await pd?.close();
    await standIn?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startAgent(config = join(dir, 'config.yaml')): Promise<RunningAgent> {
    const child = spawn(process.execPath, [BIN, 'run', '--config', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PD_ROUTING_KEY: 'routing-key-for-test', WEDSYNC_API_TOKENS: `operator:${TOKEN}`, NODE_EXTRA_CA_CERTS: join(dir, 'pd-ca.pem') },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const agent: RunningAgent = { child, port: 0, output: () => output, exited };
    running.push(agent);
    await until('the agent to start', () => /"msg":"agent started"/.test(output) || child.exitCode !== null);
    const line = output.split('\n').find((l) => l.includes('"msg":"agent started"'));
    if (!line) throw new Error(`the agent did not start:\n${output}`);
    agent.port = (JSON.parse(line) as { port: number }).port;
    return agent;
  }

  async function kill(agent: RunningAgent): Promise<void> {
    agent.child.kill('SIGKILL');
    expect(await agent.exited).toBe('SIGKILL');
    running.splice(running.indexOf(agent), 1);
  }

  const api = (a: RunningAgent) => request(`http://127.0.0.1:${a.port}`);
  const events = () => pd.accepted().map((r) => JSON.parse(r.body) as { event_action: string; dedup_key: string });
  const count = (action: string) => events().filter((e) => e.event_action === action && e.dedup_key === DEDUP_KEY).length;
  const stored = () => {
    const cm = standIn.get(STATE_PATH);
    return cm
      ? (JSON.parse(cm.data[STATE_DATA_KEY]) as {
          overrides: Array<{ id: string }>;
          audit: Array<{ action: string; detail: { id?: string } }>;
          pages: Record<string, { open: Array<{ dedupKey: string }> }>;
        })
      : null;
  };
  const storedPages = () => stored()?.pages.pagerduty?.open.map((p) => p.dedupKey) ?? [];
  const ticks = async (a: RunningAgent) => Number(/^wedsync_agent_ticks_total (\d+)/m.exec((await api(a).get('/metrics')).text)?.[1] ?? 0);
  async function waitTicks(a: RunningAgent, n: number): Promise<void> {
    const start = await ticks(a);
    await until(`${n} ticks`, async () => (await ticks(a)) >= start + n);
  }

  test('stand-in: an override and an open page outlive SIGKILL; the page is not re-triggered, and resolves once when its condition clears', async () => {
    expect(
      existsSync(join(ROOT, 'agent/dist/durable/durable-state-store.js')) ||
        'agent/dist is missing or stale: run `npm run build -w agent` (npm test builds first)',
    ).toBe(true);
    standIn.put(DEPLOY_PATH, deployment(3)); // at maxReplicas (3), far over capacity

    const first = await startAgent();
    await until('the page', () => count('trigger') === 1);
    const until1h = new Date(Date.now() + 3_600_000).toISOString();
    const created = (
      await api(first)
        .post('/api/v1/overrides')
        .set('Authorization', `Bearer ${TOKEN}`)
        .send({ target: 'shop-api', type: 'floor', replicas: 3, until: until1h, reason: 'first dance' })
        .expect(201)
    ).body as { id: string };
    await until(
      'the override and the open page in the state ConfigMap',
      () => !!stored()?.overrides.some((o) => o.id === created.id) && storedPages().includes(DEDUP_KEY),
    );
    await kill(first);

    const second = await startAgent();
    const auth = { Authorization: `Bearer ${TOKEN}` };
    // Loaded before the agent serves: in force at once, and in the audit trail.
    const overrides = (await api(second).get('/api/v1/overrides').set(auth).expect(200)).body as { overrides: Array<{ id: string; reason: string }> };
    expect(overrides.overrides).toEqual([expect.objectContaining({ id: created.id, reason: 'first dance' })]);
    const audit = (await api(second).get('/api/v1/audit').set(auth).expect(200)).body as { entries: Array<{ action: string; detail: { id?: string } }> };
    expect(audit.entries).toEqual([expect.objectContaining({ action: 'override.create', detail: expect.objectContaining({ id: created.id }) })]);
    await waitTicks(second, 4);
    const status = (await api(second).get('/api/v1/status').set(auth).expect(200)).body as { targets: Array<{ overrides: Array<{ id: string }> }> };
    expect(status.targets[0].overrides.map((o) => o.id)).toEqual([created.id]); // what the planner applied this tick
    // The condition still holds: PagerDuty heard nothing new.
    expect([count('trigger'), count('resolve')]).toEqual([1, 0]);

    // The condition clears: exactly one resolve.
    standIn.put(DEPLOY_PATH, deployment(2));
    await until('the resolve', () => count('resolve') === 1);
    await waitTicks(second, 3);
    expect([count('trigger'), count('resolve')]).toEqual([1, 1]);
    await until('the page closed in the state ConfigMap', () => storedPages().length === 0);

    // Again, but the condition clears while the agent is down: resolved at start.
    standIn.put(DEPLOY_PATH, deployment(3));
    await until('the second page', () => count('trigger') === 2);
    await until('the second page in the state ConfigMap', () => storedPages().includes(DEDUP_KEY));
    await kill(second);
    standIn.put(DEPLOY_PATH, deployment(2));
    const third = await startAgent();
    await until('the resolve at start', () => count('resolve') === 2);
    await waitTicks(third, 3);
    expect([count('trigger'), count('resolve')]).toEqual([2, 2]);
    expect(events().map((e) => e.event_action)).toEqual(['trigger', 'resolve', 'trigger', 'resolve']);
    expect(third.output()).not.toContain(TOKEN);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    running.splice(running.indexOf(third), 1);
  });

  test('no cluster, state.directory: an override outlives SIGKILL through the state file', async () => {
    const fileDir = mkdtempSync(join(tmpdir(), 'wedsync-restart-file-'));
    writeFileSync(
      join(fileDir, 'config.yaml'),
      [
        'agent: { mode: shadow, tickSeconds: 1, listen: { host: 127.0.0.1, port: 0 }, logLevel: info }',
        'sources: { sim: { type: simulator } }',
        'forecast: { backfillHours: 0 }',
        'state: { directory: state }',
        'targets: [{ id: web, kubernetes: { namespace: ns, name: web }, load: { source: sim, query: web }, capacityPerPod: 10, maxReplicas: 5 }]',
      ].join('\n'),
    );
    const file = join(fileDir, 'state', 'wedsync-agent-state.json');
    const inFile = (id: string) =>
      existsSync(file) && (JSON.parse(readFileSync(file, 'utf8')) as { overrides: Array<{ id: string }> }).overrides.some((o) => o.id === id);
    try {
      const first = await startAgent(join(fileDir, 'config.yaml'));
      const created = (
        await api(first)
          .post('/api/v1/overrides')
          .set('Authorization', `Bearer ${TOKEN}`)
          .send({ target: 'web', type: 'pin', replicas: 4, until: new Date(Date.now() + 3_600_000).toISOString(), reason: 'speeches' })
          .expect(201)
      ).body as { id: string };
      await until('the override in the state file', () => inFile(created.id));
      await kill(first);
      const second = await startAgent(join(fileDir, 'config.yaml'));
      const listed = (await api(second).get('/api/v1/overrides').set('Authorization', `Bearer ${TOKEN}`).expect(200)).body as {
        overrides: Array<{ id: string }>;
      };
      expect(listed.overrides.map((o) => o.id)).toEqual([created.id]);
      await kill(second);
    } finally {
      rmSync(fileDir, { recursive: true, force: true });
    }
  });
});
