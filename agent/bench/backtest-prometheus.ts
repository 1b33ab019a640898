/**
 * `npm run bench:backtest`: `wedsync-agent backtest` over 8 weeks × 3 targets from a real local Prometheus
 * (Debian `prometheus`), as a user runs it (a fresh process), several times; the median wall time goes
 * into BENCHMARKS.md's "Backtest from Prometheus" section. The history is the shared peak-season-8w
 * trace (demand × 1, × 0.6, × 1.5 for three targets) moved 52 weeks into the past — same weekdays, same
 * season — and backfilled with `promtool tsdb create-blocks-from openmetrics` (not timed). Once, outside
 * the timing, the first target is also replayed from a trace folder of the same data: the schedules must
 * be equal.
 *
 * Env: WEDSYNC_TRACES (default ../../shared/data/traces from agent/), BACKTEST_RUNS (default 3).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCHMARKS_MD as BENCHMARKS, BUILT_CLI as CLI, SHARED_TRACES as TRACES } from './bench-paths';
import { DateTime } from 'luxon';
import { parse } from 'csv-parse/sync';
import { readTrace } from '../src/replay/trace';
import { freePort } from '../test-support/free-port';

const RUNS = Number(process.env.BACKTEST_RUNS ?? 3);
const SECTION = '## Backtest from Prometheus';
const SHIFT_MS = 364 * 86_400_000;
const TARGETS = [
  { id: 'api', scale: 1 },
  { id: 'uploads', scale: 0.6 },
  { id: 'search', scale: 1.5 },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** The trace folder moved 52 weeks back: demand rows, meta.start and every wedding (same wall clock). */
function shiftedTrace(src: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const meta = JSON.parse(readFileSync(join(src, 'meta.json'), 'utf8')) as { start: string };
  meta.start = new Date(Date.parse(meta.start) - SHIFT_MS).toISOString().replace('.000Z', 'Z');
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  const cal = JSON.parse(readFileSync(join(src, 'calendar.json'), 'utf8')) as { weddings: Array<{ start: string }> };
  for (const w of cal.weddings) w.start = DateTime.fromISO(w.start, { setZone: true }).minus({ days: 364 }).toISO({ suppressMilliseconds: true })!;
  writeFileSync(join(dir, 'calendar.json'), JSON.stringify(cal));
  // Read with the agent's CSV parser (quotes, BOM); the first column is the timestamp, the header row is kept.
  const records: string[][] = parse(readFileSync(join(src, 'trace.csv'), 'utf8'), { bom: true, skip_empty_lines: true });
  const [header, ...rows] = records;
  const shifted = rows.map(([t, ...rest]) => [new Date(Date.parse(t) - SHIFT_MS).toISOString().replace('.000Z', 'Z'), ...rest]);
  writeFileSync(join(dir, 'trace.csv'), [header, ...shifted].map((r) => r.map(csvField).join(',')).join('\n') + '\n');
}

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
const csvField = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function writeOpenMetrics(file: string, demand: Float64Array, startMs: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('# TYPE demand_rps gauge\n');
  for (const t of TARGETS) {
    let chunk = '';
    for (let k = 0; k < demand.length; k++) {
      chunk += `demand_rps{service="${t.id}"} ${Math.round(demand[k] * t.scale * 100) / 100} ${(startMs + k * 60_000) / 1000}\n`;
      if (chunk.length > 1 << 16) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
  }
  await write('# EOF\n');
  await new Promise<void>((r) => out.end(() => r()));
}

async function main(): Promise<void> {
  const src = join(TRACES, 'peak-season-8w');
  if (!existsSync(src)) {
    console.error(`trace not found at ${src}: set WEDSYNC_TRACES to the folder holding peak-season-8w/`);
    process.exit(2);
  }
  const work = mkdtempSync(join(tmpdir(), 'wedsync-backtest-bench-'));
  const traceDir = join(work, 'trace');
  shiftedTrace(src, traceDir);
  const trace = readTrace(traceDir);
  const fromMs = trace.startMs;
  const toMs = fromMs + trace.demand.length * 60_000;

  let started = Date.now();
  await writeOpenMetrics(join(work, 'history.om'), trace.demand, fromMs);
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(work, 'history.om'), join(work, 'data')], { stdio: 'ignore' });
  const backfillSeconds = (Date.now() - started) / 1000;
  console.error(`backfilled ${TARGETS.length} × ${trace.demand.length} samples in ${backfillSeconds.toFixed(1)} s`);

  writeFileSync(join(work, 'prometheus.yml'), 'global: {}\n');
  const port = await freePort();
  const prom = spawn(
    'prometheus',
    [
      `--config.file=${join(work, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(work, 'data')}`,
      '--storage.tsdb.retention.time=400d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${url}/-/ready`)
          .then((r) => r.ok)
          .catch(() => false)
      )
        break;
      if (i > 200) throw new Error('prometheus did not become ready');
      await new Promise((r) => setTimeout(r, 100));
    }
    const config = join(work, 'backtest.yaml');
    writeFileSync(
      config,
      [
        `sources: { prom: { type: prometheus, url: "${url}" } }`,
        'calendar: { sources: [{ format: json, location: trace/calendar.json }] }',
        'targets:',
        ...TARGETS.map(
          (t) =>
            `  - { id: ${t.id}, kubernetes: { namespace: shop, name: ${t.id} }, load: { source: prom, query: 'sum(demand_rps{service="${t.id}"})' }, capacityPerPod: ${trace.meta.podCapacityRps}, targetUtilization: ${trace.meta.targetUtilization}, minReplicas: ${trace.meta.minReplicas}, maxReplicas: ${trace.meta.maxReplicas}, podStartupSeconds: ${trace.meta.podStartupSeconds} }`,
        ),
      ].join('\n') + '\n',
    );
    const wall: number[] = [];
    let out = '';
    for (let i = 0; i < RUNS; i++) {
      out = join(work, `report-${i}`);
      started = Date.now();
      execFileSync(
        process.execPath,
        [CLI, 'backtest', '--config', config, '--from', new Date(fromMs).toISOString(), '--to', new Date(toMs).toISOString(), '--out', out],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      wall.push((Date.now() - started) / 1000);
      console.error(`run ${i + 1}/${RUNS}: ${wall[i].toFixed(1)} s`);
    }
    // Outside the timing: the first target's schedule equals replay's on the same data in a trace folder.
    const replayCsv = join(work, 'replay.csv');
    execFileSync(process.execPath, [CLI, 'replay', '--trace', traceDir, '--config', config, '--output', replayCsv], { stdio: 'ignore' });
    const equal = readFileSync(join(out, 'replicas-api.csv'), 'utf8') === readFileSync(replayCsv, 'utf8');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      targets: Array<{ id: string; policies: Record<string, { overloadMinutes: number; replicaHours: number }>; headline: { text: string } }>;
    };
    const w = median(wall);
    const lines = [
      `Command: \`npm run bench:backtest -w agent\` (agent/bench/backtest-prometheus.ts): \`wedsync-agent backtest\` as a fresh process over ${TARGETS.length} targets × ${trace.demand.length / 10_080} weeks (${trace.demand.length.toLocaleString('en-US')} minutes each) from a real Prometheus 2.42 on 127.0.0.1, history = the shared peak-season-8w demand × 1 / × 0.6 / × 1.5 moved 52 weeks back and backfilled with promtool (${backfillSeconds.toFixed(0)} s, not timed). ${RUNS} runs, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} CPUs shared with other work.`,
      '',
      '| measure | figure |',
      '|---|---|',
      `| backtest wall time, 8 weeks × 3 targets (median of ${RUNS}) | **${w.toFixed(1)} s** (runs ${wall.map((x) => x.toFixed(1)).join(', ')}) — target ≤ 60 s: ${w <= 60 ? 'met' : 'missed'} |`,
      `| query_range requests per target (60 s steps, ≤ 10,000 points each) | ${Math.ceil(trace.demand.length / 10_000)} for demand + 1–2 per replica series |`,
      `| agent schedule equal to \`replay\`'s on the same data (target api) | ${equal ? 'yes' : '**no**'} |`,
      '',
      '| target | agent overload min | HPA v2 overload min | agent replica-hours | headline |',
      '|---|---:|---:|---:|---|',
      ...summary.targets.map(
        (t: { id: string; policies: Record<string, { overloadMinutes: number; replicaHours: number }>; headline: { text: string } }) =>
          `| ${t.id} | ${t.policies.agent.overloadMinutes} | ${t.policies.hpa_v2.overloadMinutes} | ${t.policies.agent.replicaHours.toLocaleString('en-US')} | ${t.headline.text} |`,
      ),
    ];
    writeSection(lines.join('\n'));
    console.log(lines.join('\n'));
    if (!equal) process.exitCode = 1;
  } finally {
    prom.kill('SIGTERM');
  }
}

/** Replaces only this benchmark's section (adds it at the end the first time). */
function writeSection(body: string): void {
  const text = readFileSync(BENCHMARKS, 'utf8');
  const start = text.indexOf(SECTION);
  if (start < 0) {
    writeFileSync(BENCHMARKS, `${text.trimEnd()}\n\n${SECTION}\n${body}\n`);
    return;
  }
  const next = text.indexOf('\n## ', start + SECTION.length);
  writeFileSync(BENCHMARKS, `${text.slice(0, start)}${SECTION}\n${body}\n${next < 0 ? '' : text.slice(next)}`);
}

void main();
