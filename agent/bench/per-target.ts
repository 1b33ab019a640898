/**
 * bench:per-target — memory per target (issue 24, defect 13). The built agent (`wedsync-agent run`, as
 * the pod runs it: the image's Node flags and environment, node-flags.ts) with 20, 50 and 100 targets,
 * simulator load, the demo calendar, no cluster and no sinks, so only the per-target cost grows. The old
 * generation is given room (BENCH_HEAP_MIB, 1024) so that every size completes and shows what it needs;
 * the pod's own semi-space flag is kept. After the warm-up (backfill, the first forecasts), RSS and the
 * V8 heap in use are read from the agent's /metrics every 2 s; a run's figure is the median, each size's
 * the median of its runs; the per-target figure is the least-squares slope over the sizes.
 *
 *   npm run bench:per-target -w agent     BENCH_RUNS=1 BENCH_SECONDS=60 BENCH_WARMUP_SECONDS=30 (defaults)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_ENV, containerNodeFlags } from './node-flags';
import { freePort } from '../test-support/free-port';

const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 30);
const HEAP_MIB = Number(process.env.BENCH_HEAP_MIB ?? 1024);
const SIZES = (process.env.BENCH_TARGETS ?? '20,50,100').split(',').map(Number);
// Compiled to agent/.tmp/bench-per-target/agent/bench/.
const ROOT = join(__dirname, '../../../../..');
const BIN = join(ROOT, 'agent/bin/wedsync-agent.js');
const CALENDAR = join(ROOT, 'agent/demo/calendar.json');
const FLAGS = [...containerNodeFlags(ROOT), `--max-old-space-size=${HEAP_MIB}`, '--max-semi-space-size=1'];
const MiB = 1024 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function config(port: number, targets: number): string {
  return [
    `agent: { cluster: bench, mode: shadow, listen: { host: 127.0.0.1, port: ${port} }, logLevel: warn }`,
    'sources: { sim: { type: simulator, baseLoad: 300 } }',
    `calendar: { sources: [{ format: json, location: "${CALENDAR}" }] }`,
    'targets:',
    ...Array.from(
      { length: targets },
      (_, i) =>
        `  - { id: svc-${i}, kubernetes: { namespace: bench, name: svc-${i} }, load: { source: sim, query: svc_${i}_rps }, capacityPerPod: 50, minReplicas: 2, maxReplicas: 40 }`,
    ),
  ].join('\n');
}

function gauge(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

async function run(targets: number): Promise<{ rss: number; heap: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-per-target-'));
  const port = await freePort();
  writeFileSync(join(dir, 'config.yaml'), config(port, targets));
  const agent = spawn(process.execPath, [...FLAGS, BIN, 'run', '--config', join(dir, 'config.yaml')], {
    env: { ...process.env, ...AGENT_ENV },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (i > 1200 || agent.exitCode !== null) throw new Error(`agent with ${targets} targets did not become ready`);
      if (
        await fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await sleep(100);
    }
    await sleep(WARMUP_S * 1000);
    const rss: number[] = [];
    const heap: number[] = [];
    for (let t = 0; t < SECONDS; t += 2) {
      const text = await (await fetch(`${base}/metrics`)).text();
      rss.push(gauge(text, 'process_resident_memory_bytes'));
      heap.push(gauge(text, 'nodejs_heap_size_used_bytes'));
      await sleep(2000);
    }
    return { rss: median(rss), heap: median(heap) };
  } finally {
    agent.kill('SIGTERM');
    await new Promise((r) => agent.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i] - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

async function main(): Promise<void> {
  console.log(
    `bench:per-target — ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}, Node ${process.version}, flags ${FLAGS.join(' ')}, ${RUNS} run(s) × ${SECONDS} s after ${WARMUP_S} s warm-up`,
  );
  const rows: Array<{ targets: number; rss: number; heap: number }> = [];
  for (const targets of SIZES) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await run(targets));
    const row = { targets, rss: median(runs.map((x) => x.rss)), heap: median(runs.map((x) => x.heap)) };
    rows.push(row);
    console.log(`${String(targets).padStart(4)} targets  RSS ${(row.rss / MiB).toFixed(1)} MiB  heap used ${(row.heap / MiB).toFixed(1)} MiB`);
  }
  const x = rows.map((r) => r.targets);
  console.log(
    `per target: RSS ${(
      slope(
        x,
        rows.map((r) => r.rss),
      ) / MiB
    ).toFixed(2)} MiB, heap ${(
      slope(
        x,
        rows.map((r) => r.heap),
      ) / MiB
    ).toFixed(2)} MiB`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
