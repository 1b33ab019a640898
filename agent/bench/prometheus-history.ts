/**
 * A real local Prometheus (Debian `prometheus`) holding 3 targets × the shared peak-season-8w trace
 * (demand × 1, × 0.6, × 1.5), moved 52 weeks into the past — same weekdays, same season — backfilled with
 * `promtool tsdb create-blocks-from openmetrics`, and the agent config that reads it. The same history as
 * `bench:backtest` and `bench:tune`, for benchmarks of commands that take `--config --from --to`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { parse } from 'csv-parse/sync';
import { readTrace, type Trace } from '../src/replay/trace';
import { freePort } from '../test-support/free-port';

const SHIFT_MS = 364 * 86_400_000;
export const HISTORY_TARGETS = [
  { id: 'api', scale: 1 },
  { id: 'uploads', scale: 0.6 },
  { id: 'search', scale: 1.5 },
];

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
  for (const t of HISTORY_TARGETS) {
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

export interface PrometheusHistory {
  config: string;
  /** The shifted trace folder (what `replay --trace` reads for the same history). */
  traceDir: string;
  trace: Trace;
  /** Writing the OpenMetrics file and promtool's backfill. */
  backfillSeconds: number;
  fromMs: number;
  toMs: number;
  weeks: number;
  stop(): void;
}

/** Builds the history in `work` from the trace folder `src`, starts Prometheus on it, and writes the config. */
export async function startPrometheusHistory(src: string, work: string): Promise<PrometheusHistory> {
  const traceDir = join(work, 'trace');
  shiftedTrace(src, traceDir);
  const trace = readTrace(traceDir);
  const fromMs = trace.startMs;
  const toMs = fromMs + trace.demand.length * 60_000;
  const started = Date.now();
  await writeOpenMetrics(join(work, 'history.om'), trace.demand, fromMs);
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(work, 'history.om'), join(work, 'data')], { stdio: 'ignore' });
  const backfillSeconds = (Date.now() - started) / 1000;
  writeFileSync(join(work, 'prometheus.yml'), 'global: {}\n');
  const port = await freePort();
  const prom: ChildProcess = spawn(
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
  for (let i = 0; ; i++) {
    if (
      await fetch(`${url}/-/ready`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    if (i > 200) {
      prom.kill('SIGTERM');
      throw new Error('prometheus did not become ready');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const config = join(work, 'history.yaml');
  const m = trace.meta;
  writeFileSync(
    config,
    [
      `sources: { prom: { type: prometheus, url: "${url}" } }`,
      'calendar: { sources: [{ format: json, location: trace/calendar.json }] }',
      'targets:',
      ...HISTORY_TARGETS.map(
        (t) =>
          `  - { id: ${t.id}, kubernetes: { namespace: shop, name: ${t.id} }, load: { source: prom, query: 'sum(demand_rps{service="${t.id}"})' }, capacityPerPod: ${m.podCapacityRps}, targetUtilization: ${m.targetUtilization}, minReplicas: ${m.minReplicas}, maxReplicas: ${m.maxReplicas}, podStartupSeconds: ${m.podStartupSeconds} }`,
      ),
    ].join('\n') + '\n',
  );
  return { config, traceDir, trace, backfillSeconds, fromMs, toMs, weeks: trace.demand.length / 10_080, stop: () => prom.kill('SIGTERM') };
}
