/**
 * The CLI through a real npm registry: verdaccio on 127.0.0.1 (its own storage, the public registry as
 * its uplink for the CLI's dependencies). `npm publish` of the agent's package into it, then the
 * README's snippets exactly as written, from an empty folder with only the registry pointed at it:
 * `npx --yes wedsync-agent@<version> freeze-check …` against a running agent, and the demo.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './support/alerting-processes';
import { poll } from './support/poll';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'agent', 'package.json'), 'utf8')).version;
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const VERDACCIO = require.resolve('verdaccio/bin/verdaccio');
const VIEWER = 'viewer-token-npm-registry-0123456789';

const work = mkdtempSync(join(tmpdir(), 'npm-registry-'));
let registry = '';
let verdaccio: ChildProcess | null = null;
let npmrc = '';
const children: ChildProcess[] = [];

/** A process whose stdout names its URL; resolves with the first match of `pattern`. */
function waitFor(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 90_000): Promise<RegExpExecArray> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing matching ${pattern} within ${timeoutMs / 1000} s: ${out.slice(-2000)}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited early (${code}): ${out.slice(-2000)}`));
    });
  });
}

/** The environment of a user's shell: npm pointed at the local registry, nothing of this repository. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_userconfig: npmrc,
    npm_config_registry: registry,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
  };
  for (const k of Object.keys(env)) if (/^npm_(package|lifecycle)_/.test(k) || k === 'INIT_CWD') delete env[k];
  return env;
}

beforeAll(async () => {
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const config = join(work, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(work, 'storage')}`,
      'auth:',
      `  htpasswd: { file: ${join(work, 'htpasswd')}, max_users: 10 }`,
      'uplinks:',
      `  npmjs: { url: ${process.env.npm_config_registry && !process.env.npm_config_registry.includes('127.0.0.1') ? process.env.npm_config_registry : 'https://registry.npmjs.org/'}, timeout: 60s }`,
      'packages:',
      "  'wedsync-agent': { access: $all, publish: $authenticated }",
      "  '**': { access: $all, publish: $authenticated, proxy: npmjs }",
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  verdaccio = spawn(process.execPath, [VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  await poll(async () => ((await fetch(`${registry}-/ping`).catch(() => null))?.ok ? true : undefined), 60_000, 250);
  // A user for publishing (what `npm adduser` does, without the prompt).
  const res = await fetch(`${registry}-/user/org.couchdb.user:ci`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'ci', password: 'ci-password-0123456789' }),
  });
  const { token } = (await res.json()) as { token: string };
  npmrc = join(work, 'npmrc');
  writeFileSync(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
}, 120_000);

afterAll(async () => {
  for (const c of [...children, verdaccio]) if (c && c.exitCode === null) c.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('CLI through a real npm registry (verdaccio on 127.0.0.1): npm publish, then the README snippets with npx', () => {
  it('npm publish puts wedsync-agent@<version> into the registry, with its bin', async () => {
    const packDir = join(work, 'pack');
    const { stdout } = await run('npm', ['pack', '-w', 'agent', '--pack-destination', work, '--json'], {
      cwd: ROOT,
      env: { ...process.env, npm_config_cache: join(work, 'npm-cache') },
    }).catch((e) => {
      throw new Error(`npm pack failed: ${e.stderr ?? e.message}`);
    });
    void packDir;
    const tarball = join(work, (JSON.parse(stdout) as Array<{ filename: string }>)[0].filename);
    await run('npm', ['publish', tarball, '--registry', registry], { cwd: work, env: userEnv() });
    const meta = (await (await fetch(`${registry}wedsync-agent`)).json()) as {
      'dist-tags': Record<string, string>;
      versions: Record<string, { bin: Record<string, string> }>;
    };
    expect(meta['dist-tags'].latest).toBe(VERSION);
    expect(meta.versions[VERSION].bin).toEqual({ 'wedsync-agent': 'bin/wedsync-agent.js' });
  }, 180_000);

  it("the README's CI snippet `npx --yes wedsync-agent@<version> freeze-check …` works from an empty folder against a running agent", async () => {
    // The snippet as the README writes it (GitHub Actions step), version and agent URL swapped in.
    const snippet = /run: (npx --yes wedsync-agent@(\S+) freeze-check --agent \S+ .*)$/m.exec(README);
    expect(snippet).not.toBeNull();
    expect(snippet![2]).toBe(VERSION);
    // A running agent: the repository's demo on Saturday 5 June 2027 at 16:00 UTC (weddings live).
    const demo = spawn(
      process.execPath,
      [join(ROOT, 'agent', 'bin', 'wedsync-agent.js'), 'demo', '--port', '0', '--quiet', '--start', '2027-06-05T16:00:00Z'],
      {
        env: { ...process.env, WEDSYNC_API_TOKENS: `viewer:${VIEWER}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(demo);
    const base = (await waitFor(demo, /metrics\s+(http:\/\/127\.0\.0\.1:\d+)\/metrics/, 'demo'))[1];
    const words = snippet![1].split(/\s+/);
    words[words.indexOf('--agent') + 1] = base;
    const args = words.filter((w, i) => !(w === '--target' || words[i - 1] === '--target')).slice(1); // the demo has one target, api
    const empty = mkdtempSync(join(work, 'empty-'));
    const env = { ...userEnv(), WEDSYNC_AGENT_TOKEN: VIEWER };
    // The agent evaluates its targets within a tick or two; before that freeze-check rightly exits 1.
    const result = await poll(
      async () => {
        const r = await run('npx', args, { cwd: empty, env, timeout: 240_000 }).then(
          (ok) => ({ code: 0, ...ok }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        );
        return r.code === 1 && /not evaluated/.test(r.stderr) ? undefined : r;
      },
      300_000,
      1000,
    );
    expect(result.stderr).not.toMatch(/npm (ERR|error)/);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/^DEPLOY FROZEN until /);
    // It came from the local registry, not from this clone.
    const log = readFileSync(join(work, 'storage', 'wedsync-agent', 'package.json'), 'utf8');
    expect(JSON.parse(log).versions[VERSION]).toBeDefined();
  }, 330_000);

  it('the demo from the registry: `npx --yes wedsync-agent@<version> demo` serves /metrics', async () => {
    const empty = mkdtempSync(join(work, 'demo-'));
    const demo = spawn('npx', ['--yes', `wedsync-agent@${VERSION}`, 'demo', '--port', '0', '--quiet'], {
      cwd: empty,
      env: userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    children.push(demo);
    try {
      const base = (await waitFor(demo, /metrics\s+(http:\/\/127\.0\.0\.1:\d+)\/metrics/, 'npx demo', 240_000))[1];
      const metrics = await poll(async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return /^wedsync_agent_replicas_desired\{/m.test(text) ? text : undefined;
      }, 60_000);
      expect(metrics).toMatch(new RegExp(`^wedsync_agent_build_info\\{[^}]*version="${VERSION.replace(/\./g, '\\.')}"`, 'm'));
    } finally {
      if (demo.pid) process.kill(-demo.pid, 'SIGTERM');
    }
  }, 330_000);
});
