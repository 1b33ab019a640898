/**
 * bench:footprint — the built agent (`wedsync-agent run`, as the Deployment runs it) with 20 targets,
 * mode act against the Kubernetes API stand-in (real @kubernetes/client-node), and every sink on:
 * Datadog and New Relic to a capture server, PagerDuty to an HTTPS capture server (trusted through
 * NODE_EXTRA_CA_CERTS). Load comes from the simulator source; the demo calendar is loaded. Each stand-in
 * runs in its own process on 127.0.0.1. After a warm-up, RSS is read from /proc every 2 s and the
 * event-loop delay is measured inside the agent by a preloaded probe (footprint-lag-probe.ts).
 *
 * The pod's memory limit matters: in a container Node sizes V8's heap from the cgroup limit, while on
 * this 24 GB machine it would allow 4 GB and let garbage pile up. So the agent runs with the flags the
 * Deployment's limit implies (node-flags.ts; BENCH_POD_LIMIT_MIB overrides the limit, 0 runs it
 * unconstrained, BENCH_NODE_FLAGS sets flags outright).
 *
 *   npm run bench:footprint -w agent     BENCH_RUNS=3 BENCH_MINUTES=4 (defaults); BENCH_SINKS=none to compare
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_ENV, AGENT_NODE_FLAGS, POD_LIMIT_MIB } from './node-flags';
import { slope } from '../src/forecast/robust';
import { freePort } from '../test-support/free-port';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MINUTES = Number(process.env.BENCH_MINUTES ?? 4);
const WARMUP_S = Number(process.env.BENCH_WARMUP_SECONDS ?? 60);
const SINKS = process.env.BENCH_SINKS ?? 'all';
const HEAP_FLAGS = AGENT_NODE_FLAGS;
const TARGETS = 20;
// Compiled to agent/.tmp/bench-footprint/agent/bench/.
const ROOT = join(__dirname, '../../../../..');
const BIN = join(ROOT, 'agent/bin/wedsync-agent.js');
const CALENDAR = join(ROOT, 'agent/demo/calendar.json');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const median = (xs: number[]) => quantile(xs, 0.5);

function forkWithPort<T>(file: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; msg: T }> {
  const child = fork(file, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve) => child.once('message', (msg: T) => resolve({ child, msg })));
}

function selfSignedCert(dir: string): { key: string; cert: string; certFile: string } {
  const [k, c] = [join(dir, 'k.pem'), join(dir, 'c.pem')];
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
      k,
      '-out',
      c,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  return { key: readFileSync(k, 'utf8'), cert: readFileSync(c, 'utf8'), certFile: c };
}

function deployment(name: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'bench', uid: `uid-${name}`, generation: 1, annotations: {} },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
    },
    status: { replicas: 3, readyReplicas: 3 },
  };
}

function config(port: number, capturePort: number, pdPort: number): string {
  const sinks =
    SINKS === 'none'
      ? []
      : [
          `  - { type: datadog, apiKey: "\${DD_API_KEY}", url: "http://127.0.0.1:${capturePort}" }`,
          `  - { type: newrelic, licenseKey: "\${NEW_RELIC_LICENSE_KEY}", url: "http://127.0.0.1:${capturePort}" }`,
          `  - { type: pagerduty, routingKey: "\${PAGERDUTY_ROUTING_KEY}", server: "127.0.0.1:${pdPort}" }`,
        ];
  const targets = Array.from(
    { length: TARGETS },
    (_, i) =>
      `  - { id: svc-${i}, kubernetes: { namespace: bench, name: svc-${i} }, load: { source: sim, query: svc_${i}_rps }, capacityPerPod: 50, minReplicas: 2, maxReplicas: 40, weddingCritical: ${i < 5} }`,
  );
  return [
    `agent: { cluster: bench, mode: act, listen: { host: 127.0.0.1, port: ${port} }, logLevel: warn }`,
    'sources: { sim: { type: simulator, baseLoad: 300 } }',
    `calendar: { sources: [{ format: json, location: "${CALENDAR}" }] }`,
    'kubernetes: { connection: kubeconfig, kubeconfig: kubeconfig.yaml, identity: bench-agent }',
    sinks.length ? 'sinks:' : 'sinks: []',
    ...sinks,
    'targets:',
    ...targets,
  ].join('\n');
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface RunResult {
  rssMedianMb: number;
  rssP95Mb: number;
  rssMaxMb: number;
  trendMbPer10Min: number;
  lagP99Ms: number;
  lagMaxMs: number;
  cpuPercent: number;
  heapUsedMb: number;
  ticks: number;
  exported: number;
}

async function oneRun(): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-footprint-'));
  const tls = selfSignedCert(dir);
  const children: ChildProcess[] = [];
  try {
    const capture = await forkWithPort<{ port: number }>(join(__dirname, 'sinks-capture-server.js'));
    const pd = await forkWithPort<{ port: number }>(join(__dirname, 'sinks-capture-server.js'), { BENCH_TLS_KEY: tls.key, BENCH_TLS_CERT: tls.cert });
    const kube = await forkWithPort<{ url: string }>(join(__dirname, '../../test/support/kube-standin-process.js'));
    children.push(capture.child, pd.child, kube.child);
    for (let i = 0; i < TARGETS; i++)
      kube.child.send({ id: i, cmd: 'put', path: `/apis/apps/v1/namespaces/bench/deployments/svc-${i}`, obj: deployment(`svc-${i}`) });
    writeFileSync(
      join(dir, 'kubeconfig.yaml'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: s\n  cluster: { server: "${kube.msg.url}", insecure-skip-tls-verify: true }\nusers:\n- name: a\n  user: { token: t }\ncontexts:\n- name: s\n  context: { cluster: s, user: a }\ncurrent-context: s\n`,
    );
    const port = await freePort();
    writeFileSync(join(dir, 'config.yaml'), config(port, capture.msg.port, pd.msg.port));
    const lagFile = join(dir, 'lag.json');
    const agent = spawn(
      process.execPath,
      [...HEAP_FLAGS, '--require', join(__dirname, 'footprint-lag-probe.js'), BIN, 'run', '--config', join(dir, 'config.yaml')],
      {
        env: {
          ...process.env,
          ...AGENT_ENV,
          DD_API_KEY: 'bench',
          NEW_RELIC_LICENSE_KEY: 'bench',
          PAGERDUTY_ROUTING_KEY: 'bench',
          NODE_EXTRA_CA_CERTS: tls.certFile,
          BENCH_LAG_FILE: lagFile,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    children.push(agent);
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (i > 300 || agent.exitCode !== null) throw new Error('agent did not become ready in 30 s');
      const ok = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(100);
    }
    await sleep(WARMUP_S * 1000);
    process.kill(agent.pid!, 'SIGUSR2'); // the probe resets its histogram: steady state from here
    const t0 = Date.now();
    const cpu0 = cpuSeconds(agent.pid!);
    const xs: number[] = [];
    const rss: number[] = [];
    while (Date.now() - t0 < MINUTES * 60_000) {
      xs.push((Date.now() - t0) / 60_000);
      rss.push(rssBytes(agent.pid!) / 2 ** 20);
      await sleep(2000);
    }
    const cpuPercent = ((cpuSeconds(agent.pid!) - cpu0) / ((Date.now() - t0) / 1000)) * 100;
    const lag = JSON.parse(readFileSync(lagFile, 'utf8')) as { p99Ms: number; maxMs: number; memory: NodeJS.MemoryUsage };
    if (process.env.BENCH_VERBOSE)
      console.log('memoryUsage (MB):', Object.fromEntries(Object.entries(lag.memory).map(([k, v]) => [k, Math.round(v / 2 ** 20)])));
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const value = (re: RegExp) => Number(re.exec(metrics)?.[1] ?? NaN);
    const result = {
      rssMedianMb: median(rss),
      rssP95Mb: quantile(rss, 0.95),
      rssMaxMb: Math.max(...rss),
      trendMbPer10Min: slope(xs, rss) * 10,
      lagP99Ms: lag.p99Ms,
      lagMaxMs: lag.maxMs,
      cpuPercent,
      heapUsedMb: value(/^nodejs_heap_size_used_bytes (\S+)/m) / 2 ** 20,
      ticks: value(/^wedsync_agent_ticks_total (\S+)/m),
      exported: value(/^wedsync_agent_sink_exported_samples_total\{sink="datadog"[^}]*\} (\S+)/m),
    };
    agent.kill('SIGTERM');
    await new Promise((r) => agent.once('exit', r));
    return result;
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `bench:footprint — ${RUNS} run(s) × ${MINUTES} min after ${WARMUP_S} s warm-up; ${TARGETS} targets, sinks: ${SINKS}; heap flags of a ${POD_LIMIT_MIB || 'unlimited'} MiB pod: ${HEAP_FLAGS.join(' ') || 'none'}, image env ${Object.entries(
      AGENT_ENV,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}; ${cpus().length} CPUs, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}, Node ${process.version}`,
  );
  const runs: RunResult[] = [];
  for (let r = 0; r < RUNS; r++) {
    const res = await oneRun();
    runs.push(res);
    console.log(
      `run ${r + 1}: RSS median ${res.rssMedianMb.toFixed(1)} MB, p95 ${res.rssP95Mb.toFixed(1)}, max ${res.rssMaxMb.toFixed(1)}, trend ${res.trendMbPer10Min.toFixed(2)} MB/10 min; ` +
        `event-loop delay p99 ${res.lagP99Ms.toFixed(1)} ms (max ${res.lagMaxMs.toFixed(1)}); CPU ${res.cpuPercent.toFixed(2)} % of a core; heap used ${res.heapUsedMb.toFixed(1)} MB; ticks ${res.ticks}; Datadog samples ${res.exported}`,
    );
  }
  const m = (k: keyof RunResult) => median(runs.map((r) => r[k])).toFixed(k === 'cpuPercent' || k === 'trendMbPer10Min' ? 2 : 1);
  console.log(
    `median of ${RUNS}: RSS median ${m('rssMedianMb')} MB, p95 ${m('rssP95Mb')} MB, max ${m('rssMaxMb')} MB, trend ${m('trendMbPer10Min')} MB/10 min, event-loop delay p99 ${m('lagP99Ms')} ms, CPU ${m('cpuPercent')} %, heap used ${m('heapUsedMb')} MB`,
  );
  console.log(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
