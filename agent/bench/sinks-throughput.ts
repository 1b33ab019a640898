/**
 * Sinks throughput: samples per second each sink delivers to a capture server (a separate process on
 * 127.0.0.1), from the first export to the last acknowledged request. Real clients: the Datadog API
 * client, fetch for the New Relic Metric API, pdjs over HTTPS for PagerDuty (one event per request).
 *
 *   npm run bench:sinks -w agent            (BENCH_RUNS=5 by default; median reported)
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { parseConfig } from '../src/app/config-load';
import type { SinkConfig } from '../src/app/config-schema';
import type { AgentState } from '../src/state';
import { QueuedSink } from '../src/sinks/queued-sink';
import { buildSinks } from '../src/app/sink-registry';
import type { Sample, Sink } from '../src/contracts/sink';
import { createSinkMetrics } from '../src/sinks/sink-metrics';
import type { PageEvent } from '../src/sinks/pagerduty/page-tracker';
import { PagerDutyTransport } from '../src/sinks/pagerduty/pagerduty-transport';
import { queueOptions, type SinkDeps } from '../src/sinks/sink-deps';
import { silentLogger } from '../src/util/logger';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TICK_SAMPLES = 500; // about what one agent with ~15 targets exposes per collection

interface Capture {
  child: ChildProcess;
  port: number;
  ask(cmd: 'count' | 'reset'): Promise<{ count: number; requests: number }>;
  stop(): void;
}

async function startCapture(tls?: { key: string; cert: string }): Promise<Capture> {
  const child = fork(join(__dirname, 'sinks-capture-server.js'), [], {
    env: { ...process.env, BENCH_TLS_KEY: tls?.key ?? '', BENCH_TLS_CERT: tls?.cert ?? '' },
  });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  return {
    child,
    port,
    ask: (cmd) =>
      new Promise((resolve) => {
        child.once('message', (m: { count: number; requests: number }) => resolve(m));
        child.send({ cmd });
      }),
    stop: () => child.send({ cmd: 'exit' }),
  };
}

function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-bench-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(dir, 'c.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Samples shaped like the agent's own: a family name, a target label, sometimes a second label. */
function tickSamples(tick: number, atMs: number): Sample[] {
  return Array.from({ length: TICK_SAMPLES }, (_, i) => ({
    name: `wedsync_agent_metric_${i % 40}`,
    labels: { target: `target-${i % 15}`, ...(i % 3 === 0 ? { protection: 'saturday' } : {}), seq: String(i) },
    value: tick * 1000 + i,
    kind: 'gauge' as const,
    atMs,
  }));
}

function sinkConfig(sink: Record<string, unknown>): SinkConfig {
  const text = JSON.stringify({
    sources: { sim: { type: 'simulator' } },
    targets: [{ id: 't', kubernetes: { namespace: 'n', name: 't' }, load: { source: 'sim', query: 'x' }, capacityPerPod: 1, maxReplicas: 2 }],
    sinks: [sink],
  });
  return parseConfig(text, 'bench.yaml', { KEY: 'bench-key' }).sinks[0];
}

function deps(extra: Partial<SinkDeps> = {}): SinkDeps {
  return { cluster: 'bench', metrics: createSinkMetrics(new Registry()), logger: silentLogger, ...extra };
}

/** Feeds `ticks` collections of samples and times until the sink has flushed them all. */
async function timeSampleSink(sink: Sink, ticks: number, capture?: Capture): Promise<{ seconds: number; delivered: number; requests: number }> {
  await capture?.ask('reset');
  const state = {} as AgentState;
  const batches = Array.from({ length: ticks }, (_, t) => tickSamples(t, Date.parse('2026-06-13T15:00:00Z') + t * 15_000));
  const started = process.hrtime.bigint();
  for (const samples of batches) sink.export({ atMs: samples[0].atMs, samples, state });
  const flushed = await sink.forceFlush(300_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!flushed.ok) throw new Error(`${sink.name}: ${flushed.pending} samples still pending`);
  const got = capture ? await capture.ask('count') : { count: ticks * TICK_SAMPLES, requests: 0 };
  if (got.count !== ticks * TICK_SAMPLES) throw new Error(`${sink.name}: capture server counted ${got.count}, expected ${ticks * TICK_SAMPLES}`);
  return { seconds, delivered: got.count, requests: got.requests };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Row {
  sink: string;
  setting: string;
  items: number;
  requests: number;
  rates: number[];
}

async function measure(label: string, setting: string, run: () => Promise<{ seconds: number; delivered: number; requests: number }>): Promise<Row> {
  await run(); // warm-up (loads the client library, opens connections, JIT)
  const rates: number[] = [];
  let last = { delivered: 0, requests: 0 };
  for (let i = 0; i < RUNS; i++) {
    const r = await run();
    rates.push(r.delivered / r.seconds);
    last = r;
  }
  const row = { sink: label, setting, items: last.delivered, requests: last.requests, rates };
  console.error(`${label} (${setting}): median ${Math.round(median(rates))}/s over ${RUNS} runs [${rates.map((r) => Math.round(r)).join(', ')}]`);
  return row;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const http = await startCapture();
  const tls = selfSignedCert();
  const https = await startCapture(tls);
  try {
    for (const maxBatch of [1000, 5000]) {
      const dd = buildSinks([sinkConfig({ type: 'datadog', apiKey: '${KEY}', url: `http://127.0.0.1:${http.port}`, maxQueue: 200_000, maxBatch })], deps())[0]
        .sink;
      rows.push(await measure('datadog', `gzip, maxBatch ${maxBatch}`, () => timeSampleSink(dd, 100, http)));
      const nr = buildSinks(
        [sinkConfig({ type: 'newrelic', licenseKey: '${KEY}', url: `http://127.0.0.1:${http.port}`, maxQueue: 200_000, maxBatch })],
        deps(),
      )[0].sink;
      rows.push(await measure('newrelic', `gzip, maxBatch ${maxBatch}`, () => timeSampleSink(nr, 100, http)));
    }
    const devNull = createWriteStream('/dev/null');
    const cons = buildSinks([sinkConfig({ type: 'console', maxQueue: 200_000 })], deps({ stdout: devNull }))[0].sink;
    rows.push(await measure('console', 'to /dev/null, maxBatch 1000', () => timeSampleSink(cons, 100)));
    const mem = buildSinks([sinkConfig({ type: 'memory', maxQueue: 200_000 })], deps())[0].sink;
    rows.push(await measure('memory', 'maxBatch 1000', () => timeSampleSink(mem, 100)));

    // PagerDuty: one event per HTTPS request (the Events API takes one at a time).
    const agent = new HttpsAgent({ ca: tls.cert, keepAlive: true });
    const events = 300;
    const pd = new QueuedSink<PageEvent>(
      queueOptions(
        'pagerduty',
        'pagerduty',
        new PagerDutyTransport({ routingKey: 'bench-key', server: `127.0.0.1:${https.port}`, source: 'wedsync-agent/bench', cluster: 'bench', agent }),
        () =>
          Array.from({ length: events }, (_, i) => ({
            action: 'trigger' as const,
            kind: 'kubernetes-unreachable' as const,
            dedupKey: `wedsync/bench/kubernetes-unreachable/${i}`,
            atMs: Date.now(),
            condition: {
              kind: 'kubernetes-unreachable' as const,
              subject: 'cluster',
              dedupKey: `k${i}`,
              weddingDay: true,
              severity: 'critical' as const,
              summary: 'bench',
              targets: ['t'],
              details: {},
            },
          })),
        { maxQueue: 1000 },
        deps(),
      ),
    );
    rows.push(
      await measure('pagerduty', 'HTTPS, 1 event/request, keep-alive', async () => {
        await https.ask('reset');
        const started = process.hrtime.bigint();
        pd.export({ atMs: 0, samples: [], state: {} as AgentState });
        const flushed = await pd.forceFlush(300_000);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const got = await https.ask('count');
        if (!flushed.ok || got.count !== events) throw new Error(`pagerduty: delivered ${got.count} of ${events}`);
        return { seconds, delivered: got.count, requests: got.requests };
      }),
    );
    agent.destroy();
  } finally {
    http.stop();
    https.stop();
  }
  console.log(`| sink | setting | items per run | requests per run | median items/s | min–max items/s |`);
  console.log(`|---|---|---:|---:|---:|---:|`);
  for (const r of rows)
    console.log(
      `| ${r.sink} | ${r.setting} | ${r.items} | ${r.requests || '—'} | ${Math.round(median(r.rates)).toLocaleString('en')} | ${Math.round(Math.min(...r.rates)).toLocaleString('en')}–${Math.round(Math.max(...r.rates)).toLocaleString('en')} |`,
    );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
