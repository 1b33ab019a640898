/**
 * What the browser test needs running: the built plugin (rebuilt when a source is newer than dist), the
 * harness bundle (webpack, cached), and the demo agent as a child process on an ephemeral port.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..');
export const PLUGIN_DIR = join(REPO, 'grafana-plugin');
export const PLUGIN_DIST = join(PLUGIN_DIR, 'dist');
export const HARNESS_DIR = __dirname;
export const ICONS_DIR = join(REPO, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
export const CHROMIUM = '/usr/bin/chromium';
/** Headless Chromium flags that work on this machine kind (RECIPES.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build -w grafana-plugin` unless dist/module.js is newer than every source file. */
export function ensurePluginBuilt(): void {
  const moduleJs = join(PLUGIN_DIST, 'module.js');
  const sources = Math.max(
    newestMtime(join(PLUGIN_DIR, 'src')),
    statSync(join(PLUGIN_DIR, 'README.md')).mtimeMs,
    statSync(join(PLUGIN_DIR, 'webpack.config.js')).mtimeMs,
  );
  if (existsSync(moduleJs) && statSync(moduleJs).mtimeMs > sources) return;
  execFileSync('npm', ['run', 'build', '-w', 'grafana-plugin', '--silent'], { cwd: REPO, stdio: 'pipe' });
}

/** Bundles the harness page into `outDir` (~10 s with a warm webpack cache); runs alongside other start-up work. */
export function buildHarness(outDir: string): Promise<void> {
  const args = [join(REPO, 'node_modules', 'webpack-cli', 'bin', 'cli.js'), '--config', join(HARNESS_DIR, 'webpack.config.js'), '--env', `outDir=${outDir}`];
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd: REPO, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`harness build failed: ${stderr || stdout || err.message}`)) : resolve(),
    ),
  );
}

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (or run scripts/ensure-tools.sh)`);
}

export interface RunningAgent {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the process has exited. Idempotent. */
function stopper(child: ChildProcess): () => Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
}

/** `wedsync-agent demo --port 0 ARGS` with the given environment; resolves once it prints its address. */
export function startDemoAgent(env: Record<string, string>, args: string[] = [], timeoutMs = 30_000): Promise<RunningAgent> {
  const bin = join(REPO, 'agent', 'bin', 'wedsync-agent.js');
  const child = spawn(process.execPath, [bin, 'demo', '--port', '0', ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const stop = stopper(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`demo agent did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /metrics\s+(http:\/\/[\d.]+:\d+)\/metrics/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], output: () => out, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo agent exited with ${code}:\n${out}`));
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!addr || typeof addr === 'string') throw new Error('no free port');
  return addr.port;
}

/**
 * `wedsync-agent run` with the demo's config (simulated load, in-memory cluster, real clock) plus
 * `api.corsOrigins: [corsOrigin]`: an agent that lets a page from that origin call it directly, as a
 * Grafana on another origin would. Resolves once /healthz answers.
 */
export async function startCorsAgent(env: Record<string, string>, corsOrigin: string, workDir: string, timeoutMs = 30_000): Promise<RunningAgent> {
  const demoDir = join(REPO, 'agent', 'demo');
  copyFileSync(join(demoDir, 'calendar.json'), join(workDir, 'calendar.json'));
  const config = join(workDir, 'agent.yaml');
  writeFileSync(config, `${readFileSync(join(demoDir, 'demo.yaml'), 'utf8')}\napi:\n  corsOrigins: [${JSON.stringify(corsOrigin)}]\n`);
  const port = await freePort();
  const child = spawn(process.execPath, [join(REPO, 'agent', 'bin', 'wedsync-agent.js'), 'run', '--config', config, '--port', String(port)], {
    cwd: workDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const stop = stopper(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`agent (run) exited with ${child.exitCode}:\n${out}`);
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, output: () => out, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`agent (run) did not answer /healthz within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
