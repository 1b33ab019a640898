/**
 * The CLI as a user installs it: `npm pack -w agent`, the tarball installed into an empty folder (npm
 * fetches the dependencies from the registry, reusing the machine's npm cache), then `npx wedsync-agent`
 * demo, detect, forecast and replay run there with no workspace around them.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const REPO = join(__dirname, '..');
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'wedsync-pack-'));
const app = join(dir, 'app');
let packed: { filename: string; files: { path: string }[] };

const npx = (args: string[]) => run('npx', ['--no-install', 'wedsync-agent', ...args], { cwd: app, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 });

beforeAll(async () => {
  const { stdout } = await run('npm', ['pack', '-w', 'agent', '--pack-destination', dir, '--json', '--silent'], { cwd: REPO });
  packed = JSON.parse(stdout)[0];
  mkdirSync(app);
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(dir, packed.filename)], { cwd: app, timeout: 180_000 });
}, 200_000);

describe('wedsync-agent npm tarball installed into an empty folder (real npm, registry)', () => {
  test('the tarball holds the built CLI, its entry point, the demo config, calendar and trace, and no sources or tests', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'bin/wedsync-agent.js',
        'dist/index.js',
        'dist/cli/main.js',
        'demo/demo.yaml',
        'demo/calendar.json',
        'demo/trace/trace.csv',
        'demo/trace/meta.json',
        'demo/trace/calendar.json',
        'LICENSE',
        'CHANGELOG.md',
        'README.md',
      ]),
    );
    expect(paths.filter((p) => p.startsWith('src/') || /\.test\.|__fixtures__/.test(p))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules', 'wedsync-agent', 'package.json'), 'utf8'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the installed package's main the way a CommonJS user would
    expect(require(join(app, 'node_modules', 'wedsync-agent', pkg.main)).VERSION).toBe(pkg.version);
  });

  test('npx wedsync-agent demo serves wedsync_agent_* metrics', async () => {
    const child = spawn('npx', ['--no-install', 'wedsync-agent', 'demo', '--port', '0', '--quiet'], {
      cwd: app,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /metrics\s+(http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.once('exit', (code) => reject(new Error(`demo exited (${code}): ${out}`)));
      });
      let metrics = '';
      for (let i = 0; i < 50 && !/^wedsync_agent_replicas_desired\{/m.test(metrics); i++) {
        await new Promise((r) => setTimeout(r, 200));
        metrics = await (await fetch(`${base}/metrics`)).text();
      }
      expect(metrics).toMatch(/^wedsync_agent_replicas_desired\{[^}]*target="api"/m);
    } finally {
      process.kill(-child.pid!, 'SIGTERM'); // npx and the node it started
    }
  }, 60_000);

  test('npx wedsync-agent detect and forecast read a timestamp,value CSV; replay plays the bundled trace', async () => {
    const trace = join(app, 'node_modules', 'wedsync-agent', 'demo', 'trace');
    const rows = readFileSync(join(trace, 'trace.csv'), 'utf8').trim().split('\n').slice(1);
    writeFileSync(join(app, 'load.csv'), ['timestamp,value', ...rows].join('\n') + '\n');
    const detect = await npx(['detect', '--input', 'load.csv']);
    expect(detect.stdout.trim().split('\n')).toHaveLength(rows.length + 1);
    expect(detect.stdout).toMatch(/^timestamp,value,anomaly_score\n2027-06-04T00:00:00Z,[\d.]+,[\d.]+$/m);
    const forecast = await npx(['forecast', '--input', 'load.csv', '--at', '2027-06-05T12:00:00Z', '--horizon', '60']);
    expect(forecast.stdout.trim().split('\n')).toHaveLength(61);
    const replay = await npx(['replay', '--trace', trace, '--output', 'replicas.csv']);
    const summary = JSON.parse(replay.stdout);
    expect(Object.keys(summary.policies)).toEqual(expect.arrayContaining(['agent', 'hpa_v2', 'static_peak', 'oracle']));
    expect(summary.minutes).toBe(rows.length);
    expect(readFileSync(join(app, 'replicas.csv'), 'utf8').trim().split('\n')).toHaveLength(rows.length + 1);
  }, 90_000);
});
