/**
 * bench:soak — two replicas of the built agent (`wedsync-agent run`, mode act, leader election on a
 * Lease) for a long run with 20 targets and every sink on, while things break:
 *
 *   load      a real Prometheus scraping the soak's load exporter (each target a slow wave)
 *   cluster   the Kubernetes API stand-in behind a recording, fault-injecting front (soak-standins.ts),
 *             reached by the real @kubernetes/client-node through a kubeconfig
 *   sinks     Datadog and New Relic intake (HTTP) and the PagerDuty Events API (HTTPS) stand-ins
 *
 * Chaos, at fixed fractions of the run (see SCHEDULE): Prometheus SIGKILLed and restarted on the same
 * data; the Datadog intake down for 5 minutes; the cluster answering 409s, then 500s; the leader
 * SIGKILLed (and, like a Deployment would, a new replica started a minute later).
 *
 * It asserts, prints, and exits non-zero when one fails: RSS trend (least-squares slope of each agent's
 * process_resident_memory_bytes), event-loop lag p99 (nodejs_eventloop_lag_p99_seconds per scrape), no
 * scale-down while Prometheus is down, each page triggered and resolved once, leadership moved within
 * the lease time after the SIGKILL, Datadog delivery resumed after its outage, both replicas alive.
 *
 *   npm run bench:soak -w agent                  32 minutes (the recorded run)
 *   npm run bench:soak -w agent -- --minutes 3   a quick try of the machinery (short outages page nothing)
 *
 * The soak bounds its own runtime (the run + 6 minutes) and kills every process it started, also on
 * SIGINT/SIGTERM. Not part of `npm test`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeFront, LoadExporter, SinkStandIn, type PageRecord, type ScaleWrite } from './soak-standins';
import { AGENT_ENV, AGENT_NODE_FLAGS, POD_LIMIT_MIB } from './node-flags';
import { slope } from '../src/forecast/robust';
import { freePort } from '../test-support/free-port';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const MINUTES = Number(arg('minutes') ?? process.env.SOAK_MINUTES ?? 32);
const TARGETS = 20;
const LEASE_S = 15;
const RETRY_S = 2;
const UNREACHABLE_AFTER_S = 60;
const STALE_AFTER_S = 45;
const SAMPLE_S = 10;
/** Thresholds (env overrides): slope of the never-killed replica, worst RSS (the pod's limit), p95 of per-scrape lag p99. */
const MAX_SLOPE_MIB_H = Number(process.env.SOAK_MAX_RSS_SLOPE_MIB_PER_HOUR ?? 30);
const MAX_RSS_MIB = Number(process.env.SOAK_MAX_RSS_MIB ?? (POD_LIMIT_MIB || 256));
const MAX_LAG_P99_S = Number(process.env.SOAK_MAX_LAG_P99_SECONDS ?? 0.25);
const FULL = MINUTES >= 20;

// Compiled to agent/.tmp/bench-soak/agent/bench/.
const ROOT = join(__dirname, '../../../../..');
/** The built agent is copied here first, so a rebuild during the run cannot change what a restarted replica runs. */
const SNAPSHOT = join(ROOT, 'agent/.tmp/soak-agent');
const BIN = join(SNAPSHOT, 'bin/wedsync-agent.js');
const LEASE_PATH = '/apis/coordination.k8s.io/v1/namespaces/wedsync/leases/wedsync-agent';

const min = (m: number) => m * 60_000;
/** When each fault starts and how long it lasts, in ms from the start of the run. */
const D = min(MINUTES);
const SCHEDULE = {
  warmUpEnd: 0.1 * D,
  prometheusKill: 0.12 * D,
  prometheusDown: 0.1 * D,
  sinkDown: 0.28 * D,
  sinkDownFor: Math.min(min(5), 0.16 * D),
  kubeChaos: 0.47 * D,
  kube409For: 0.03 * D,
  kube500For: 0.07 * D,
  leaderKill: 0.62 * D,
  replacementAfter: Math.min(min(1), 0.03 * D),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) => (xs.length ? sorted(xs)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : NaN);
const MiB = 2 ** 20;

const children = new Set<ChildProcess>();
function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });

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
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'pipe' },
  );
  return { key: readFileSync(k, 'utf8'), cert: readFileSync(c, 'utf8'), certFile: c };
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}

// ---- Prometheus

class Prometheus {
  proc: ChildProcess | null = null;
  readonly url: string;
  constructor(
    private readonly dir: string,
    private readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }
  async start(): Promise<void> {
    const log = join(this.dir, 'prometheus.log');
    const proc = spawn(
      'prometheus',
      [
        `--config.file=${join(this.dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${this.port}`,
        '--storage.tsdb.retention.time=1d',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    proc.stderr.on('data', (c: Buffer) => appendFileSync(log, c));
    children.add(proc);
    this.proc = proc;
    await waitUntil('Prometheus to be ready', async () => proc.exitCode === null && (await fetch(`${this.url}/-/ready`)).ok, 60_000);
  }
  async kill(): Promise<void> {
    const p = this.proc!;
    p.kill('SIGKILL');
    if (p.exitCode === null && p.signalCode === null) await new Promise((r) => p.once('exit', r));
  }
}

// ---- agents

interface Replica {
  identity: string;
  port: number;
  proc: ChildProcess;
  startedMs: number;
  killed: boolean;
  exitedUnexpectedly: boolean;
}

interface Sample {
  atMs: number;
  identity: string;
  rssMiB: number;
  heapUsedMiB: number;
  lagP99S: number;
  leader: boolean;
}

function agentConfig(o: {
  identity: string;
  port: number;
  kubeconfig: string;
  prometheus: string;
  calendar: string;
  datadog: number;
  newrelic: number;
  pagerduty: number;
}): string {
  const targets = Array.from({ length: TARGETS }, (_, i) => {
    // svc-0…4 serve the live wedding (protected, wedding-critical); the rest serve none and scale freely.
    const zone = i < 5 ? 'Pacific/Auckland' : 'America/Chicago';
    return `  - { id: svc-${i}, kubernetes: { namespace: bench, name: svc-${i} }, load: { source: prom, query: 'soak_load_rps{target="svc-${i}"}' }, capacityPerPod: 50, minReplicas: 2, maxReplicas: 40, weddingCritical: ${i < 5}, timezones: [${zone}] }`;
  });
  return [
    `agent: { cluster: soak, mode: act, listen: { host: 127.0.0.1, port: ${o.port} }, logLevel: warn }`,
    `sources: { prom: { type: prometheus, url: "${o.prometheus}", staleAfterSeconds: ${STALE_AFTER_S} } }`,
    `calendar: { sources: [{ format: json, location: "${o.calendar}" }] }`,
    // Every weekday protects, so today's wedding is a protection window whatever day the soak runs.
    'wedding: { protectedWeekdays: [1, 2, 3, 4, 5, 6, 7] }',
    'policy: { scaleDownStabilizationSeconds: 60 }',
    'forecast: { backfillHours: 1 }',
    `kubernetes: { connection: kubeconfig, kubeconfig: "${o.kubeconfig}", identity: ${o.identity}, leaseDurationSeconds: ${LEASE_S}, retryPeriodSeconds: ${RETRY_S} }`,
    'sinks:',
    `  - { type: datadog, apiKey: "\${DD_API_KEY}", url: "http://127.0.0.1:${o.datadog}" }`,
    `  - { type: newrelic, licenseKey: "\${NEW_RELIC_LICENSE_KEY}", url: "http://127.0.0.1:${o.newrelic}" }`,
    `  - { type: pagerduty, routingKey: "\${PAGERDUTY_ROUTING_KEY}", server: "127.0.0.1:${o.pagerduty}" }`,
    `paging: { unreachableAfterSeconds: ${UNREACHABLE_AFTER_S} }`,
    'targets:',
    ...targets,
  ].join('\n');
}

function metricValue(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

// ---- the run

interface Marks {
  prometheusKilledMs: number;
  prometheusBackMs: number;
  sinkDownMs: number;
  sinkUpMs: number;
  kube409Ms: number;
  kube500Ms: number;
  kubeOkMs: number;
  leaderKilledMs: number;
  leaderKilled: string;
  newLeader: string;
  newLeaderMs: number;
  datadogSamplesAtUp: number;
}

async function main(): Promise<number> {
  const started = Date.now();
  console.log(
    `bench:soak — ${MINUTES} min, ${TARGETS} targets, 2 replicas (mode act, Lease ${LEASE_S} s, retry ${RETRY_S} s), sinks Datadog + New Relic + PagerDuty; agent flags ${AGENT_NODE_FLAGS.join(' ')} and ${Object.entries(
      AGENT_ENV,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')} (a ${POD_LIMIT_MIB} MiB pod); ${cpus().length} CPUs, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}, Node ${process.version}, ${new Date(started).toISOString()}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-soak-'));
  rmSync(SNAPSHOT, { recursive: true, force: true });
  for (const d of ['bin', 'dist']) cpSync(join(ROOT, 'agent', d), join(SNAPSHOT, d), { recursive: true });
  const tls = selfSignedCert(dir);
  const kube = new KubeFront();
  const load = new LoadExporter(TARGETS);
  const sinks = { datadog: new SinkStandIn('datadog'), newrelic: new SinkStandIn('newrelic'), pagerduty: new SinkStandIn('pagerduty', tls) };
  const replicas: Replica[] = [];
  const samples: Sample[] = [];
  const leaseLog: Array<{ atMs: number; holder: string | null }> = [];
  let stopSampling = false;
  try {
    await kube.start();
    for (let i = 0; i < TARGETS; i++) {
      const name = `svc-${i}`;
      kube.api.put(`/apis/apps/v1/namespaces/bench/deployments/${name}`, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'bench', uid: `uid-${name}`, generation: 1, annotations: {} },
        spec: {
          replicas: 6,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
        },
        status: { replicas: 6, readyReplicas: 6 },
      });
    }
    const exporter = await load.start();
    for (const s of Object.values(sinks)) await s.start();

    const promDir = join(dir, 'prometheus');
    mkdirSync(promDir);
    writeFileSync(
      join(promDir, 'prometheus.yml'),
      `global: { scrape_interval: 5s, evaluation_interval: 5s }\nscrape_configs:\n  - job_name: load\n    static_configs: [{ targets: ["${exporter}"] }]\n`,
    );
    const prometheus = new Prometheus(promDir, await freePort());
    await prometheus.start();

    writeFileSync(
      join(dir, 'kubeconfig.yaml'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: s\n  cluster: { server: "${kube.url}", insecure-skip-tls-verify: true }\nusers:\n- name: a\n  user: { token: t }\ncontexts:\n- name: s\n  context: { cluster: s, user: a }\ncurrent-context: s\n`,
    );
    // One wedding, live for the whole run (ceremony an hour ago; the protection window runs 8 h past it).
    writeFileSync(
      join(dir, 'calendar.json'),
      JSON.stringify({
        weddings: [
          {
            id: 'soak-1',
            title: 'Soak wedding',
            start: new Date(started - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
            timezone: 'Pacific/Auckland',
            days: 1,
            guests: 150,
            tradition: 'british',
            vendors: 3,
          },
        ],
      }),
    );

    const startReplica = async (identity: string): Promise<Replica> => {
      const port = await freePort();
      const config = join(dir, `${identity}.yaml`);
      writeFileSync(
        config,
        agentConfig({
          identity,
          port,
          kubeconfig: join(dir, 'kubeconfig.yaml'),
          prometheus: prometheus.url,
          calendar: join(dir, 'calendar.json'),
          datadog: sinks.datadog.port,
          newrelic: sinks.newrelic.port,
          pagerduty: sinks.pagerduty.port,
        }),
      );
      const proc = spawn(process.execPath, [...AGENT_NODE_FLAGS, BIN, 'run', '--config', config], {
        env: {
          ...process.env,
          ...AGENT_ENV,
          DD_API_KEY: 'soak',
          NEW_RELIC_LICENSE_KEY: 'soak',
          PAGERDUTY_ROUTING_KEY: 'soak',
          NODE_EXTRA_CA_CERTS: tls.certFile,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      proc.stderr.on('data', (c: Buffer) => appendFileSync(join(dir, `${identity}.log`), c));
      children.add(proc);
      const r: Replica = { identity, port, proc, startedMs: Date.now(), killed: false, exitedUnexpectedly: false };
      proc.once('exit', (code, signal) => {
        if (!r.killed) {
          r.exitedUnexpectedly = true;
          console.log(`!! ${identity} exited on its own (code ${code}, signal ${signal})`);
        }
      });
      replicas.push(r);
      await waitUntil(`${identity} to be ready`, async () => proc.exitCode === null && (await fetch(`http://127.0.0.1:${port}/readyz`)).ok, 120_000);
      return r;
    };
    await Promise.all([startReplica('soak-a'), startReplica('soak-b')]);
    const t0 = Date.now();
    const at = (ms: number) => sleep(Math.max(0, t0 + ms - Date.now()));
    const rel = (ms: number) => ((ms - t0) / 60_000).toFixed(2);
    console.log(
      `replicas ready after ${((t0 - started) / 1000).toFixed(1)} s; schedule (min): Prometheus down ${rel(t0 + SCHEDULE.prometheusKill)}–${rel(t0 + SCHEDULE.prometheusKill + SCHEDULE.prometheusDown)}, Datadog down ${rel(t0 + SCHEDULE.sinkDown)}–${rel(t0 + SCHEDULE.sinkDown + SCHEDULE.sinkDownFor)}, cluster 409s ${rel(t0 + SCHEDULE.kubeChaos)} then 500s until ${rel(t0 + SCHEDULE.kubeChaos + SCHEDULE.kube409For + SCHEDULE.kube500For)}, leader SIGKILL ${rel(t0 + SCHEDULE.leaderKill)}, end ${MINUTES}`,
    );

    // Samplers: each live replica's /metrics every SAMPLE_S; the Lease holder every 250 ms.
    const sampler = (async () => {
      while (!stopSampling) {
        await Promise.all(
          replicas
            .filter((r) => !r.killed && r.proc.exitCode === null)
            .map(async (r) => {
              const text = await fetch(`http://127.0.0.1:${r.port}/metrics`, { signal: AbortSignal.timeout(5000) }).then(
                (x) => x.text(),
                () => '',
              );
              if (!text) return;
              samples.push({
                atMs: Date.now(),
                identity: r.identity,
                rssMiB: metricValue(text, 'process_resident_memory_bytes') / MiB,
                heapUsedMiB: metricValue(text, 'nodejs_heap_size_used_bytes') / MiB,
                lagP99S: metricValue(text, 'nodejs_eventloop_lag_p99_seconds'),
                leader: metricValue(text, 'wedsync_agent_leader') === 1,
              });
            }),
        );
        await sleep(SAMPLE_S * 1000);
      }
    })();
    const leaseWatch = (async () => {
      while (!stopSampling) {
        const holder: string | null = kube.holder(LEASE_PATH);
        if (leaseLog.at(-1)?.holder !== holder) leaseLog.push({ atMs: Date.now(), holder });
        await sleep(250);
      }
    })();

    const marks = {} as Marks;
    await at(SCHEDULE.prometheusKill);
    await prometheus.kill();
    marks.prometheusKilledMs = Date.now();
    console.log(`[${rel(Date.now())}] Prometheus SIGKILLed`);
    await at(SCHEDULE.prometheusKill + SCHEDULE.prometheusDown);
    await prometheus.start();
    marks.prometheusBackMs = Date.now();
    console.log(`[${rel(Date.now())}] Prometheus restarted on the same data`);

    await at(SCHEDULE.sinkDown);
    await sinks.datadog.stop();
    marks.sinkDownMs = Date.now();
    console.log(`[${rel(Date.now())}] Datadog intake down`);
    await at(SCHEDULE.sinkDown + SCHEDULE.sinkDownFor);
    await sinks.datadog.start();
    marks.sinkUpMs = Date.now();
    marks.datadogSamplesAtUp = sinks.datadog.samples;
    console.log(`[${rel(Date.now())}] Datadog intake back`);

    await at(SCHEDULE.kubeChaos);
    kube.chaos = '409';
    marks.kube409Ms = Date.now();
    console.log(`[${rel(Date.now())}] cluster answers 409 to writes`);
    await at(SCHEDULE.kubeChaos + SCHEDULE.kube409For);
    kube.chaos = '500';
    marks.kube500Ms = Date.now();
    console.log(`[${rel(Date.now())}] cluster answers 500 to everything but Leases`);
    await at(SCHEDULE.kubeChaos + SCHEDULE.kube409For + SCHEDULE.kube500For);
    kube.chaos = 'none';
    marks.kubeOkMs = Date.now();
    console.log(`[${rel(Date.now())}] cluster healthy (${kube.injected[409]} × 409, ${kube.injected[500]} × 500 injected)`);

    await at(SCHEDULE.leaderKill);
    const holder = kube.holder(LEASE_PATH);
    const leader = replicas.find((r) => r.identity === holder && !r.killed);
    if (!leader) throw new Error(`no live replica holds the Lease (holder: ${holder})`);
    leader.killed = true;
    leader.proc.kill('SIGKILL');
    marks.leaderKilledMs = Date.now();
    marks.leaderKilled = leader.identity;
    console.log(`[${rel(Date.now())}] leader ${leader.identity} SIGKILLed`);
    const moved = (async () => {
      await waitUntil(
        'another replica to take the Lease',
        async () => {
          const h = kube.holder(LEASE_PATH);
          return h !== null && h !== leader.identity;
        },
        (LEASE_S + RETRY_S) * 4000,
      );
      marks.newLeaderMs = Date.now();
      marks.newLeader = kube.holder(LEASE_PATH)!;
      console.log(`[${rel(Date.now())}] ${marks.newLeader} leads, ${((marks.newLeaderMs - marks.leaderKilledMs) / 1000).toFixed(1)} s after the SIGKILL`);
    })();
    await sleep(SCHEDULE.replacementAfter);
    await moved;
    await startReplica(`${leader.identity}-2`);
    console.log(`[${rel(Date.now())}] replacement ${leader.identity}-2 ready`);

    await at(D);
    stopSampling = true;
    await Promise.all([sampler, leaseWatch]);
    return report(marks, replicas, samples, kube.scaleWrites, sinks.pagerduty.pages, sinks, leaseLog, t0, dir);
  } finally {
    stopSampling = true;
    for (const r of replicas) {
      r.killed = true;
      if (r.proc.exitCode === null && r.proc.signalCode === null) r.proc.kill('SIGTERM');
    }
    await sleep(2000);
    killAll();
    await Promise.allSettled([
      kube.stop(),
      load.stop(),
      ...Object.values(sinks)
        .filter((s) => s.up)
        .map((s) => s.stop()),
    ]);
    if (!process.env.SOAK_KEEP) rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

function report(
  m: Marks,
  replicas: Replica[],
  samples: Sample[],
  writes: ScaleWrite[],
  pages: PageRecord[],
  sinks: Record<string, SinkStandIn>,
  leaseLog: Array<{ atMs: number; holder: string | null }>,
  t0: number,
  dir: string,
): number {
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}`);
    if (!ok) failures.push(what);
  };
  console.log('\n--- figures');

  // RSS trend per replica, after its own warm-up (the first 10 % of the run, at least 2 minutes).
  const warm = Math.max(min(2), SCHEDULE.warmUpEnd);
  let survivorSlope = NaN;
  let worstRss = 0;
  for (const r of replicas) {
    const mine = samples.filter((s) => s.identity === r.identity && s.atMs - r.startedMs >= warm && Number.isFinite(s.rssMiB));
    const all = samples.filter((s) => s.identity === r.identity && Number.isFinite(s.rssMiB));
    if (!all.length) continue;
    worstRss = Math.max(worstRss, ...all.map((s) => s.rssMiB));
    const rss = mine.map((s) => s.rssMiB);
    const k =
      mine.length >= 10
        ? slope(
            mine.map((s) => s.atMs / 3_600_000),
            rss,
          )
        : NaN;
    if (r.identity !== m.leaderKilled && !r.identity.endsWith('-2')) survivorSlope = k;
    console.log(
      `${r.identity}: ${all.length} samples over ${((all.at(-1)!.atMs - all[0].atMs) / 60_000).toFixed(1)} min; RSS after warm-up median ${quantile(rss, 0.5).toFixed(1)} MiB, min ${Math.min(...rss).toFixed(1)}, max ${Math.max(...rss).toFixed(1)}, trend ${k.toFixed(1)} MiB/h; heap used median ${quantile(
        mine.map((s) => s.heapUsedMiB),
        0.5,
      ).toFixed(1)} MiB`,
    );
  }
  const lags = samples.map((s) => s.lagP99S).filter(Number.isFinite);
  console.log(
    `event-loop lag p99 per ${SAMPLE_S} s scrape (${lags.length} scrapes, both replicas): median ${(quantile(lags, 0.5) * 1000).toFixed(1)} ms, p95 ${(quantile(lags, 0.95) * 1000).toFixed(1)} ms, max ${(Math.max(...lags) * 1000).toFixed(1)} ms`,
  );

  const outage = writes.filter((w) => w.atMs >= m.prometheusKilledMs && w.atMs <= m.prometheusBackMs);
  const downs = (ws: ScaleWrite[]) => ws.filter((w) => w.to < w.from);
  const ups = writes.filter((w) => w.to > w.from);
  console.log(
    `scale writes: ${writes.length} (${ups.length} up, ${downs(writes).length} down, ${writes.filter((w) => w.status >= 400).length} refused by chaos); during the Prometheus outage: ${outage.length} (${downs(outage).length} down)`,
  );

  // PagerDuty folds triggers for an open dedup key into its incident; an incident is what wakes someone.
  const incidents = new Map<string, { opened: number; resolved: number; triggers: number; resolves: number; open: boolean }>();
  for (const p of pages) {
    const i = incidents.get(p.dedupKey) ?? { opened: 0, resolved: 0, triggers: 0, resolves: 0, open: false };
    if (p.action === 'trigger') {
      i.triggers++;
      if (!i.open) i.opened++;
      i.open = true;
    } else if (p.action === 'resolve') {
      i.resolves++;
      if (i.open) i.resolved++;
      i.open = false;
    }
    incidents.set(p.dedupKey, i);
  }
  for (const p of pages)
    console.log(`  page [${((p.atMs - t0) / 60_000).toFixed(2)} min] ${p.action} ${p.dedupKey}${p.summary ? ` — ${p.summary.slice(0, 110)}` : ''}`);
  console.log(
    `pages: ${pages.length} events, ${incidents.size} dedup key(s): ${[...incidents].map(([k, i]) => `${k.split('/').slice(2).join('/')} opened ${i.opened} resolved ${i.resolved} (events: ${i.triggers} trigger, ${i.resolves} resolve)`).join('; ') || 'none'}`,
  );
  const moveS = (m.newLeaderMs - m.leaderKilledMs) / 1000;
  console.log(`leadership: ${leaseLog.map((l) => `${((l.atMs - t0) / 60_000).toFixed(2)} min ${l.holder ?? '(none)'}`).join(' → ')}`);
  const dd = sinks.datadog;
  console.log(
    `sinks: Datadog ${dd.samples} samples (${dd.samples - m.datadogSamplesAtUp} after its outage), New Relic ${sinks.newrelic.samples}, PagerDuty ${sinks.pagerduty.samples} events`,
  );

  console.log('\n--- assertions');
  if (FULL)
    check(survivorSlope <= MAX_SLOPE_MIB_H, `RSS trend of the replica that ran throughout ≤ ${MAX_SLOPE_MIB_H} MiB/h (${survivorSlope.toFixed(1)} MiB/h)`);
  else console.log('(RSS trend not judged in a run shorter than 20 minutes)');
  check(worstRss <= MAX_RSS_MIB, `RSS of every replica ≤ ${MAX_RSS_MIB} MiB (max ${worstRss.toFixed(1)} MiB)`);
  check(
    quantile(lags, 0.95) <= MAX_LAG_P99_S,
    `event-loop lag p99: 95 % of scrapes ≤ ${MAX_LAG_P99_S * 1000} ms (${(quantile(lags, 0.95) * 1000).toFixed(1)} ms)`,
  );
  check(
    downs(outage).length === 0,
    `no scale-down while Prometheus was down (${
      downs(outage)
        .map((w) => `${w.target} ${w.from}→${w.to}`)
        .join(', ') || 'none'
    })`,
  );
  if (FULL) check(downs(writes).length > 0, `the agent did scale down between faults, so the check above can fail (${downs(writes).length} scale-downs)`);
  check(
    [...incidents.values()].every((i) => i.opened === 1 && i.resolved === 1),
    'every page opened once and resolved once (no flapping, none left open)',
  );
  check(
    [...incidents.values()].every((i) => i.triggers === i.opened && i.resolves === i.resolved),
    'each trigger and resolve sent once (no duplicate event, e.g. from the other replica)',
  );
  if (FULL) {
    const keys = [...incidents.keys()];
    check(
      keys.some((k) => k.includes('/load-source-unreachable/')),
      'the Prometheus outage paged (load-source-unreachable)',
    );
    check(
      keys.some((k) => k.includes('/kubernetes-unreachable/')),
      'the cluster 500s paged (kubernetes-unreachable)',
    );
  }
  check(
    moveS <= LEASE_S + RETRY_S,
    `leadership moved within the lease time after the SIGKILL: ${moveS.toFixed(1)} s ≤ ${LEASE_S} s lease + ${RETRY_S} s retry (${m.leaderKilled} → ${m.newLeader})`,
  );
  check(dd.samples > m.datadogSamplesAtUp, 'Datadog delivery resumed after its outage');
  check(
    replicas.every((r) => !r.exitedUnexpectedly),
    'no replica exited on its own',
  );
  console.log(
    `\n${failures.length ? `${failures.length} assertion(s) FAILED` : 'all assertions held'}; load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; agent logs in ${dir} (kept with SOAK_KEEP=1)`,
  );
  return failures.length ? 1 : 0;
}

const deadline = setTimeout(
  () => {
    console.error(`bench:soak overran its ${MINUTES + 6} minutes: stopping every child process`);
    killAll();
    process.exit(3);
  },
  min(MINUTES + 6),
);

void main().then(
  (code) => {
    clearTimeout(deadline);
    process.exit(code);
  },
  (err) => {
    console.error(err);
    clearTimeout(deadline);
    killAll();
    process.exit(2);
  },
);
