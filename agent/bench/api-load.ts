/**
 * `npm run bench:api`: load on the operator API with autocannon, server in a child process.
 *
 *  1. GET /api/v1/status with 20 targets at a fixed 2,000 req/s (latency corrected for coordinated
 *     omission): p99 must stay ≤ 20 ms. Beside it, in the same run, GET /healthz (no API stack, a
 *     16-byte body) at the same rate: the machine's own latency floor. Then /status unthrottled.
 *  2. POST /api/v1/ingest, batches of 1,000 samples (20 watched series × 50 points), unthrottled:
 *     samples/s accepted, beside the bare JSON.parse rate of the same payloads measured in this run.
 *
 *   node .tmp/bench-api/bench/api-load.js [--runs N] [--duration SECONDS]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { NOW } from '../src/api/__fixtures__/harness';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 5);
const DURATION = arg('duration', 10);
const BATCH = 1000;
const SERIES = 20;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Server {
  base: string;
  tokens: { operator: Record<string, string>; viewer: Record<string, string> };
  child: ChildProcess;
}

function startServer(): Promise<Server> {
  const child = fork(join(__dirname, 'api-server.js'), { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: Omit<Server, 'child'>) => resolve({ ...m, child }));
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
}

/** Series names the bench server's targets watch (see testConfig in the harness). */
function seriesName(i: number): { name: string; labels?: Record<string, string> } {
  return i === 0 ? { name: 'api_rps' } : { name: `svc_${i}_rps`, labels: { env: 'prod' } };
}

/** Distinct payloads, each BATCH samples, with advancing timestamps and noisy values. */
function ingestPayloads(count: number): string[] {
  const perSeries = BATCH / SERIES;
  return Array.from({ length: count }, (_, k) =>
    JSON.stringify({
      series: Array.from({ length: SERIES }, (_, s) => ({
        ...seriesName(s),
        // All at the server's (frozen) now: replayed batches are then accepted every time (equal
        // timestamps, last wins) instead of being refused as out of order or ahead of the clock.
        points: Array.from({ length: perSeries }, (_, p) => [NOW, Math.round((100 + 50 * Math.sin(p + s + k) + Math.random() * 10) * 1000) / 1000]),
      })),
    }),
  );
}

interface ServerReport {
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  cpuMs: number;
}

function ask<T>(child: ChildProcess, cmd: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m: T) => resolve(m));
    child.send({ cmd });
  });
}

/** Runs a load phase with the server's event-loop delay and CPU time measured over exactly that phase. */
async function phase(server: Server, opts: autocannon.Options): Promise<{ result: autocannon.Result; server: ServerReport }> {
  await ask(server.child, 'reset');
  const result = await run(opts);
  return { result, server: await ask<ServerReport>(server.child, 'report') };
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Bare JSON.parse over the same payloads for ~2 s: samples/s the CPU could at best accept. */
function jsonParseRate(payloads: string[]): number {
  let parsed = 0;
  const start = process.hrtime.bigint();
  const budget = 2_000_000_000n;
  let sink = 0;
  while (process.hrtime.bigint() - start < budget) {
    for (const p of payloads) sink += (JSON.parse(p) as { series: unknown[] }).series.length;
    parsed += payloads.length;
  }
  if (sink < 0) console.log(sink);
  return (parsed * BATCH) / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  console.log(
    `bench:api — ${RUNS} runs × ${DURATION} s, ${cpus().length} CPUs, load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}, Node ${process.version}`,
  );
  const server = await startServer();
  const statusUrl = `${server.base}/api/v1/status`;
  const ingestUrl = `${server.base}/api/v1/ingest`;
  const payloads = ingestPayloads(32);
  const statusBytes = (await (await fetch(statusUrl, { headers: server.tokens.viewer })).text()).length;
  const check = await fetch(ingestUrl, { method: 'POST', headers: { ...server.tokens.operator, 'content-type': 'application/json' }, body: payloads[0] });
  const checkBody = (await check.json()) as { accepted: number };
  if (check.status !== 200 || checkBody.accepted !== BATCH) throw new Error(`ingest check failed: ${check.status} ${JSON.stringify(checkBody)}`);

  const rows: Record<string, number[]> = {
    statusP50: [],
    statusP99: [],
    statusRate: [],
    statusErrors: [],
    statusMax: [],
    statusMaxP99: [],
    healthP50: [],
    healthP99: [],
    statusLoopP99: [],
    statusCpuUs: [],
    ingestCpuUs: [],
    ingestSamples: [],
    ingestP99: [],
    ingestErrors: [],
    parseSamples: [],
    ratio: [],
  };
  for (let r = 0; r < RUNS; r++) {
    await run({ url: statusUrl, headers: server.tokens.viewer, connections: 1, duration: 1 }); // warm-up
    const { result: fixed, server: fixedServer } = await phase(server, {
      url: statusUrl,
      headers: server.tokens.viewer,
      connections: 20,
      overallRate: 2000,
      duration: DURATION,
    });
    rows.statusLoopP99.push(fixedServer.loopDelayP99Ms);
    rows.statusCpuUs.push((fixedServer.cpuMs * 1000) / (fixed.requests.total ?? fixed.requests.average * fixed.duration));
    rows.statusP50.push(fixed.latency.p50);
    rows.statusP99.push(fixed.latency.p99);
    rows.statusRate.push(fixed.requests.average);
    rows.statusErrors.push(fixed.errors + fixed.non2xx + fixed.timeouts);
    const health = await run({ url: `${server.base}/healthz`, connections: 20, overallRate: 2000, duration: DURATION });
    rows.healthP50.push(health.latency.p50);
    rows.healthP99.push(health.latency.p99);
    const max = await run({ url: statusUrl, headers: server.tokens.viewer, connections: 20, duration: Math.max(3, DURATION / 2) });
    rows.statusMax.push(max.requests.average);
    rows.statusMaxP99.push(max.latency.p99);

    const { result: ingest, server: ingestServer } = await phase(server, {
      url: ingestUrl,
      method: 'POST',
      headers: { ...server.tokens.operator, 'content-type': 'application/json' },
      requests: payloads.map((body) => ({ method: 'POST', body })),
      connections: 8,
      duration: DURATION,
    });
    const ok = ingest['2xx'];
    const samplesPerS = (ok * BATCH) / ingest.duration;
    const parse = jsonParseRate(payloads);
    rows.ingestSamples.push(samplesPerS);
    rows.ingestCpuUs.push((ingestServer.cpuMs * 1000) / Math.max(1, ok));
    rows.ingestP99.push(ingest.latency.p99);
    rows.ingestErrors.push(ingest.errors + ingest.non2xx + ingest.timeouts);
    rows.parseSamples.push(parse);
    rows.ratio.push(samplesPerS / parse);
    console.log(
      `run ${r + 1}: status@2000/s p50 ${fixed.latency.p50} ms p99 ${fixed.latency.p99} ms (${fixed.requests.average} req/s, ${fixed.non2xx + fixed.errors} bad; server loop delay p99 ${fixedServer.loopDelayP99Ms.toFixed(1)} ms, CPU ${rows.statusCpuUs[r].toFixed(0)} µs/req); healthz@2000/s p99 ${health.latency.p99} ms; ` +
        `status max ${max.requests.average} req/s p99 ${max.latency.p99} ms; ingest ${Math.round(samplesPerS)} samples/s p99 ${ingest.latency.p99} ms (${ingest.non2xx + ingest.errors} bad); ` +
        `JSON.parse ${Math.round(parse)} samples/s; ratio ${(samplesPerS / parse).toFixed(3)}`,
    );
  }
  server.child.disconnect();

  const m = Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, median(v)]));
  console.log(`\nLoad average (1 min) before ${loadBefore.toFixed(2)}, after ${loadavg()[0].toFixed(2)} on ${cpus().length} CPUs shared with other work.`);
  console.log(`Medians of ${RUNS} runs (status body ${statusBytes} bytes, ${SERIES} targets; ingest batch ${BATCH} samples, ~${payloads[0].length} bytes):`);
  console.log('| measure | median | target |');
  console.log('|---|---|---|');
  console.log(`| GET /status at 2,000 req/s: p50 / p99 latency | ${m.statusP50} ms / ${m.statusP99} ms | p99 ≤ 20 ms |`);
  console.log(
    `| … server side during that phase: event-loop delay p99, CPU per request | ${m.statusLoopP99.toFixed(1)} ms, ${Math.round(m.statusCpuUs)} µs | |`,
  );
  console.log(`| GET /healthz at 2,000 req/s (machine floor, same run): p50 / p99 | ${m.healthP50} ms / ${m.healthP99} ms | |`);
  console.log(`| GET /status at 2,000 req/s: achieved rate, failed requests | ${Math.round(m.statusRate)} req/s, ${m.statusErrors} | |`);
  console.log(`| GET /status unthrottled (20 connections): rate, p99 | ${Math.round(m.statusMax)} req/s, ${m.statusMaxP99} ms | |`);
  console.log(
    `| POST /ingest, batches of 1,000 (8 connections): samples/s, p99 | ${Math.round(m.ingestSamples)} samples/s, ${m.ingestP99} ms | ≥ 200,000 samples/s |`,
  );
  console.log(`| … server CPU per 1,000-sample batch | ${Math.round(m.ingestCpuUs)} µs | |`);
  console.log(`| bare JSON.parse of the same payloads (one core) | ${Math.round(m.parseSamples)} samples/s | ceiling |`);
  console.log(`| ingest ÷ JSON.parse | ${m.ratio.toFixed(3)} | |`);
  console.log(`| failed ingest requests | ${m.ingestErrors} | |`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
