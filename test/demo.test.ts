/**
 * The README's demo command, for real: the built CLI starts the agent on the bundled demo (simulated
 * wedding weekend, in-memory cluster) and serves wedsync_agent_* series; SIGTERM stops it cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { poll } from './support/poll';

const ROOT = join(__dirname, '..');

function startDemo(args: string[] = [], env: Record<string, string> = {}): { child: ChildProcess; port: Promise<number>; output: () => string } {
  const child = spawn(process.execPath, [join(ROOT, 'agent', 'bin', 'wedsync-agent.js'), 'demo', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const port = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /metrics\s+http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`demo exited early (${code}): ${out}`)));
  });
  return { child, port, output: () => out };
}

jest.setTimeout(30_000); // a demo start takes 4–5 s on a busy 2-core machine

describe('demo (built CLI, simulated wedding weekend, in-memory cluster)', () => {
  let demo: ReturnType<typeof startDemo> | null = null;
  afterEach(() => {
    if (demo?.child.exitCode === null) demo.child.kill('SIGKILL');
  });

  it('serves wedsync_agent_* metrics within 30 s on the PORT from the environment, then stops on SIGTERM', async () => {
    const started = Date.now();
    demo = startDemo([], { PORT: '0' });
    const port = await demo.port;
    const base = `http://127.0.0.1:${port}`;
    const metrics = await poll(async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return /wedsync_agent_observed_load\{target="api"\} \d/.test(text) && /wedsync_agent_replicas_desired\{target="api"\} \d/.test(text) ? text : undefined;
    }, 30_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    for (const name of [
      'wedsync_agent_forecast_load',
      'wedsync_agent_replicas_current',
      'wedsync_agent_active_weddings',
      'wedsync_agent_protection_active',
      'wedsync_agent_tick_duration_seconds_bucket',
      'wedsync_agent_tick_errors_total',
    ])
      expect(metrics).toContain(name);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);

    const exited = new Promise<number | null>((r) => demo!.child.once('exit', (code) => r(code)));
    const stopAt = Date.now();
    demo.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);
  });

  it('lets a local Grafana call the API when started with --cors-origin', async () => {
    demo = startDemo(['--port', '0', '--cors-origin', 'http://localhost:3000']);
    const base = `http://127.0.0.1:${await demo.port}`;
    const preflight = (origin: string) =>
      fetch(`${base}/api/v1/overrides`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
      });
    const allowed = await preflight('http://localhost:3000');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('plays one cluster of a fleet with --cluster/--provider/--region (wedsync_agent_info), and names the key of a bad flag', async () => {
    demo = startDemo(['--port', '0', '--cluster', 'eu-a', '--provider', 'gke', '--region', 'europe-west1']);
    const base = `http://127.0.0.1:${await demo.port}`;
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/^wedsync_agent_info\{cluster="eu-a",provider="gke",region="europe-west1",version="[^"]+"\} 1$/m);
    demo.child.kill('SIGTERM');

    for (const [args, error] of [
      [['--provider', 'digitalocean'], /demo\.yaml: agent\.provider: .*"eks"/],
      [['--peer', 'eu-b'], /demo\.yaml: fleet\.query: is required when fleet\.peers is set/],
    ] as const) {
      const bad = startDemo(['--port', '0', ...args]);
      await expect(bad.port).rejects.toThrow(/exited early \(2\)/);
      expect(bad.output()).toMatch(error);
    }
  }, 30_000);
});
