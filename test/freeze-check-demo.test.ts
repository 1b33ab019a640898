/**
 * The "done when", on the demo's simulated clock: the built CLI's demo (bundled wedding weekend,
 * in-memory cluster) started at a chosen simulated instant with --start, and the built CLI's freeze-check
 * asking it. During the Saturday it exits 3 naming the live weddings; on the Sunday evening it exits 0.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from './support/poll';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'agent', 'bin', 'wedsync-agent.js');
const VIEWER = 'demo-viewer-token-freeze-0123456789';
const tokenFile = join(mkdtempSync(join(tmpdir(), 'freeze-demo-')), 'token');
writeFileSync(tokenFile, VIEWER);

function startDemo(start: string): { child: ChildProcess; base: Promise<string> } {
  const child = spawn(process.execPath, [BIN, 'demo', '--port', '0', '--quiet', '--start', start, '--speed', '60'], {
    cwd: ROOT,
    env: { ...process.env, WEDSYNC_API_TOKENS: `viewer:${VIEWER}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const base = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /metrics\s+(http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`demo exited early (${code}): ${out}`)));
  });
  return { child, base };
}

function freezeCheck(base: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'freeze-check', '--agent', base, '--token-file', tokenFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

/** freeze-check once the agent has evaluated every target (before that it rightly exits 1). */
const settled = (base: string) =>
  poll(
    async () => {
      const r = await freezeCheck(base);
      return r.code === 1 && /not evaluated/.test(r.err) ? undefined : r;
    },
    30_000,
    300,
  );

describe("freeze-check on the demo's simulated clock (built CLI: demo --start, freeze-check)", () => {
  let demo: ReturnType<typeof startDemo> | null = null;
  afterEach(async () => {
    if (demo && demo.child.exitCode === null) {
      const exited = new Promise((r) => demo!.child.once('exit', r));
      demo.child.kill('SIGTERM');
      await exited;
    }
    demo = null;
  });

  it('Saturday 5 June 2027, 16:00 UTC: exits 3, frozen until the evening, naming the live weddings', async () => {
    demo = startDemo('2027-06-05T16:00:00Z');
    const r = await settled(await demo.base);
    expect(r.err).toBe('');
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^DEPLOY FROZEN until 2027-06-0[56]T\d\d:\d\d:00\.000Z \(agent clock 2027-06-05T16:/);
    expect(r.out).toMatch(/api \(Deployment wedsync\/api\) frozen until/);
    // Weddings live on the Saturday in the demo calendar, by title and id.
    expect(r.out).toMatch(/Indian wedding 16 \(London\) \[demo-016\] 2027-06-05 Europe\/London/);
    expect(r.out).toMatch(/Nigerian wedding 13 \(Lagos\) \[demo-013\]/);
  }, 60_000);

  it('Sunday 6 June 2027, 19:00 UTC (Sunday weddings are live, but Sunday is not protected): exits 0', async () => {
    demo = startDemo('2027-06-06T19:00:00Z');
    const r = await settled(await demo.base);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/deploy allowed: no protected wedding is live for api, photo-upload, notifications \(agent clock 2027-06-06T19:/);
  }, 60_000);
});
