/**
 * The built agent as a real process (`wedsync-agent run`, as the Deployment runs it) against the real
 * control plane, on a kubeconfig holding a ServiceAccount token: what a pod with that ServiceAccount
 * gets. Load is pushed to it (POST /api/v1/ingest). Needs `npm run build` (npm test builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './real-cluster-client';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'agent', 'bin', 'wedsync-agent.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class AgentProcess {
  readonly operatorToken = randomBytes(18).toString('hex');
  output = '';
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  private constructor(
    readonly identity: string,
    readonly port: number,
    readonly dir: string,
  ) {}

  /**
   * Starts `wedsync-agent run` with `config` (YAML; `listen`, `kubernetes.kubeconfig` and identity are
   * filled in) and waits until its API answers. `env` is added to the child's environment (a test file's
   * `process.env` is Jest's copy: setting it there never reaches a child process).
   */
  static async start(opts: { identity: string; kubeconfig: string; config: (port: number) => string; env?: Record<string, string> }): Promise<AgentProcess> {
    if (!existsSync(join(ROOT, 'agent', 'dist', 'cli', 'main.js')))
      throw new Error('agent/dist is missing: run `npm run build -w agent` (npm test builds first)');
    const agent = new AgentProcess(opts.identity, await freePort(), mkdtempSync(join(tmpdir(), `wedsync-${opts.identity}-`)));
    const file = join(agent.dir, 'config.yaml');
    writeFileSync(file, opts.config(agent.port));
    const child = spawn(process.execPath, [BIN, 'run', '--config', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, POD_NAME: opts.identity, KUBECONFIG: opts.kubeconfig, WEDSYNC_API_TOKENS: `operator:${agent.operatorToken}`, ...opts.env },
    });
    agent.child = child;
    child.stdout.on('data', (d) => (agent.output += d));
    child.stderr.on('data', (d) => (agent.output += d));
    agent.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(
      `agent ${opts.identity} to answer on 127.0.0.1:${agent.port}`,
      async () => {
        if (child.exitCode !== null) throw Object.assign(new Error(`agent ${opts.identity} exited: ${agent.output}`), { fatal: true });
        return (await fetch(`http://127.0.0.1:${agent.port}/healthz`)).ok ? true : undefined;
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n--- agent output ---\n${agent.output}`);
    });
    return agent;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** GET on the agent's API (operator token). */
  async get(path: string): Promise<any> {
    const res = await fetch(this.url(path), { headers: { authorization: `Bearer ${this.operatorToken}` } });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return (path === '/metrics' ? res.text() : res.json()) as Promise<unknown>;
  }

  /** Pushes one point of `series` (POST /api/v1/ingest) stamped now. */
  async push(series: string, value: number, atMs = Date.now()): Promise<void> {
    const res = await fetch(this.url('/api/v1/ingest'), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ series: [{ name: series, points: [[atMs, value]] }] }),
    });
    if (!res.ok) throw new Error(`POST /api/v1/ingest: HTTP ${res.status} ${await res.text()}`);
  }

  /** SIGTERM (a clean stop) or SIGKILL (a crash); resolves with the exit code once it has exited. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited ?? null;
  }
}
