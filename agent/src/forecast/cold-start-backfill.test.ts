/**
 * Cold start against a real Prometheus (Debian `prometheus`; history written with `promtool tsdb
 * create-blocks-from openmetrics`): Agent.start backfills each target through query_range before the
 * first tick, so the first forecast already uses the history; an unreachable Prometheus is logged and the
 * agent still starts, forecasting from the calendar prior.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { Writable } from 'node:stream';
import { Agent } from '../app/agent';
import { configSchema } from '../app/config-schema';
import { createLogger } from '../util/logger';
import { freePort } from '../../test-support/free-port';

const HOUR = 3_600_000;
/** Whole minutes, so the history lines up with the forecast step. */
const NOW = Math.floor(Date.now() / 60_000) * 60_000;

function requireTool(tool: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return join(dir, tool);
    } catch {
      // not here
    }
  }
  throw new Error(`"${tool}" is not installed: \`sudo apt-get install -y --no-install-recommends prometheus\` (or bash scripts/ensure-tools.sh)`);
}

/** The daily rhythm the history holds: 100 ± 40 by hour of day. */
const load = (t: number): number => 100 + 40 * Math.sin((2 * Math.PI * (t % (24 * HOUR))) / (24 * HOUR));

function agentFor(url: string, logs: string[]): Agent {
  const config = configSchema.parse({
    agent: { listen: { host: '127.0.0.1', port: 0 }, tickSeconds: 3600 },
    sources: { prometheus: { type: 'prometheus', url, timeoutSeconds: 5, staleAfterSeconds: 7200 } },
    forecast: { backfillHours: 72, stepSeconds: 60, horizonHours: 48 },
    targets: [
      {
        id: 'uploads',
        kubernetes: { namespace: 'wedsync', name: 'uploads' },
        load: { source: 'prometheus', query: 'wedsync_demo_load' },
        capacityPerPod: 50,
        maxReplicas: 10,
      },
    ],
  });
  const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) });
  return new Agent({ config, file: 'test.yaml', baseDir: '.' }, { clock: () => NOW, logger: createLogger('info', sink) });
}

async function firstForecast(agent: Agent): Promise<{ method: string; coldStart: boolean; points: Array<{ tMs: number; value: number }> }> {
  await agent.loop.trigger();
  const f = agent.state.targets.get('uploads')!.forecast;
  if (!f) throw new Error('no forecast after the first tick');
  return f;
}

describe('cold-start backfill through a real Prometheus query_range', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-backfill-'));
  let prometheus: ChildProcess | null = null;
  let output = '';
  let url = '';

  beforeAll(async () => {
    const promtool = requireTool('promtool');
    const bin = requireTool('prometheus');
    // Three days of history at one sample a minute, ending a minute before "now".
    const lines = ['# TYPE wedsync_demo_load gauge'];
    for (let t = NOW - 72 * HOUR; t < NOW; t += 60_000) lines.push(`wedsync_demo_load ${load(t).toFixed(3)} ${t / 1000}`);
    lines.push('# EOF');
    writeFileSync(join(dir, 'history.om'), lines.join('\n') + '\n');
    const made = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'history.om'), join(dir, 'data')], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`promtool failed: ${made.stderr}`);
    writeFileSync(join(dir, 'prometheus.yml'), 'global: {}\n');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      bin,
      [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
    for (let i = 0; i < 100; i++) {
      const ready = await fetch(`${url}/-/ready`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ready) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`prometheus did not become ready:\n${output}`);
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const gone = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the forecaster before the first tick, so the first forecast follows the history', async () => {
    const logs: string[] = [];
    const agent = agentFor(url, logs);
    await agent.start();
    try {
      const f = await firstForecast(agent);
      expect(f.coldStart).toBe(false);
      expect(f.method).toMatch(/daily-median/);
      expect(f.points).toHaveLength(48 * 60);
      for (const p of f.points.filter((_, i) => i % 60 === 0)) expect(Math.abs(p.value - load(p.tMs))).toBeLessThan(5);
      expect(logs.join('')).toMatch(/"points":4320[^]*backfilled history/);
    } finally {
      await agent.stop();
    }
  });

  it('starts anyway when Prometheus is unreachable, logging the failure, and forecasts from the calendar prior', async () => {
    const logs: string[] = [];
    const agent = agentFor(`http://127.0.0.1:${await freePort()}`, logs);
    await agent.start();
    try {
      const f = await firstForecast(agent);
      expect(f.coldStart).toBe(true);
      expect(f.method).toMatch(/calendar-prior/);
      expect(logs.join('')).toMatch(/backfill failed/);
    } finally {
      await agent.stop();
    }
  });
});
