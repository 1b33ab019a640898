/**
 * The operator CLI against the demo, as README shows it: the built CLI's demo (bundled wedding weekend,
 * in-memory cluster, Saturday 5 June 2027 on its simulated clock) and the built CLI's `status` and
 * `override set|list|clear` asking it over HTTP with tokens from the environment and from a file.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from './support/poll';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'agent', 'bin', 'wedsync-agent.js');
const VIEWER = 'demo-viewer-token-cli-0123456789';
const OPERATOR = 'demo-operator-token-cli-0123456789';
const operatorFile = join(mkdtempSync(join(tmpdir(), 'operator-cli-demo-')), 'operator');
writeFileSync(operatorFile, `${OPERATOR}\n`);

let demo: ChildProcess | null = null;
let base = '';

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, WEDSYNC_AGENT_TOKEN: '', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout, err: stderr });
    });
  });
}

beforeAll(async () => {
  demo = spawn(process.execPath, [BIN, 'demo', '--port', '0', '--quiet', '--start', '2027-06-05T16:00:00Z', '--speed', '60'], {
    cwd: ROOT,
    env: { ...process.env, WEDSYNC_API_TOKENS: `viewer:${VIEWER},operator:${OPERATOR}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  base = await new Promise<string>((resolve, reject) => {
    demo!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /metrics\s+(http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(out);
      if (m) resolve(m[1]);
    });
    demo!.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    demo!.once('exit', (code) => reject(new Error(`demo exited early (${code}): ${out}`)));
  });
  // The first tick has run once /status names a last tick.
  await poll(
    async () => {
      const r = await fetch(`${base}/api/v1/status`, { headers: { Authorization: `Bearer ${VIEWER}` } });
      return r.ok && ((await r.json()) as { agent: { lastTick: string | null } }).agent.lastTick ? true : undefined;
    },
    60_000,
    300,
  );
}, 90_000);

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((r) => demo!.once('exit', r));
    demo.kill('SIGTERM');
    await exited;
  }
});

describe('operator CLI against the demo (built CLI: demo --start on the Saturday, status and override over HTTP)', () => {
  it("status: the demo's target as a table with the Saturday's live weddings and the deploy freeze", async () => {
    const r = await cli(['status', '--agent', base], { WEDSYNC_AGENT_TOKEN: VIEWER });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [header, columns, ...rows] = r.out.trimEnd().split('\n');
    expect(header).toMatch(/^agent \S+ · cluster \S+ .* · leader · last tick 2027-06-05T/);
    expect(columns).toMatch(/^TARGET\s+WORKLOAD\s+REPLICAS/);
    const api = rows.find((l) => l.startsWith('api '));
    expect(api).toMatch(/^api\s+deployment\/wedsync\/api\s+\d+(→\d+)?\s+\d+\s+\d+\/\d+\s+[\d.]+\s+([1-9]\d*)\s+\S*saturday\S*\s+frozen\s+0\s+/);
    const json = await cli(['status', '--agent', base, '-o', 'json'], { WEDSYNC_AGENT_TOKEN: VIEWER });
    expect(
      (JSON.parse(json.out) as { targets: Array<{ id: string; liveWeddings: number }> }).targets.find((t) => t.id === 'api')!.liveWeddings,
    ).toBeGreaterThan(0);
  }, 60_000);

  it("override set → list → clear: a 30-minute floor on the demo's clock, then gone", async () => {
    const set = await cli([
      'override',
      'set',
      'api',
      '--type',
      'floor',
      '--replicas',
      '9',
      '--duration',
      '30m',
      '--reason',
      'first dance at the London wedding',
      '--agent',
      base,
      '--token-file',
      operatorFile,
    ]);
    expect(set.err).toBe('');
    expect(set.code).toBe(0);
    // The demo's clock is June 2027: the end is 30 minutes after its now, not this machine's.
    expect(set.out).toMatch(/^override (\S+) set: api floor 9 until 2027-06-05T\d\d:\d\d:\d\d\.\d{3}Z \(by env-operator-1\)\n$/);
    const id = /override (\S+) set/.exec(set.out)![1];
    const list = await cli(['override', 'list', '--agent', base], { WEDSYNC_AGENT_TOKEN: VIEWER });
    expect(list.code).toBe(0);
    expect(list.out).toMatch(new RegExp(`^${id}\\s+api\\s+floor\\s+9\\s+2027-06-05T.*first dance at the London wedding$`, 'm'));
    // The floor shows in status as an override of the target.
    const status = await cli(['status', '--agent', base, '--target', 'api', '-o', 'json'], { WEDSYNC_AGENT_TOKEN: VIEWER });
    expect((JSON.parse(status.out) as { targets: Array<{ overrides: Array<{ id: string }> }> }).targets[0].overrides.map((o) => o.id)).toEqual([id]);
    const clear = await cli(['override', 'clear', id, '--agent', base, '--token-file', operatorFile]);
    expect(clear.code).toBe(0);
    expect(clear.out).toBe(`override ${id} cleared (api floor)\n`);
    expect((await cli(['override', 'list', '--agent', base], { WEDSYNC_AGENT_TOKEN: VIEWER })).out).toBe('no active overrides\n');
  }, 60_000);

  it('a viewer token may not set an override: exit 1 with one line naming the 403', async () => {
    const r = await cli(['override', 'set', 'api', '--type', 'floor', '--replicas', '9', '--duration', '30m', '--reason', 'x', '--agent', base], {
      WEDSYNC_AGENT_TOKEN: VIEWER,
    });
    expect(r.code).toBe(1);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^override: the agent refused the token \(403\)/);
  }, 60_000);
});
