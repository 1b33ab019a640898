#!/usr/bin/env node
// npm run bench:cluster — figures of the real control plane for BENCHMARKS.md ("Real control plane"):
//   1. the build: seconds and disk of each cached tool (BENCH_COLD_BUILD=1: a cold build into empty Go
//      caches too, 15-30 min on 2 cores; its disk counts the module and build caches it filled);
//   2. control-plane start: `up` on a fresh state directory, BENCH_RUNS times (default 3);
//   3. a 10× pushed load step (100 → 1000 rps on 50-rps pods) to the agent's scale write (the API server's
//      audit log stamps it) and to 20 pods Ready under kwok, BENCH_RUNS times, with the agent in act mode
//      ticking every BENCH_TICK_SECONDS (default 15, as shipped);
//   4. the state ConfigMap's size at its bounds (200 audit entries; 10, 100 and 300 overrides), written by
//      the agent's own DurableStateStore through the real client and read back from the server.
// Needs `npm run build` (agent/dist) and the built control plane (bash test/cluster/build.sh).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apply, call, waitFor } from './lib/api.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const TICK = Number(process.env.BENCH_TICK_SECONDS ?? 15);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const du = (path) => Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const log = (...args) => console.error('bench:', ...args);

function cluster(args) {
  return execFileSync(process.execPath, [join(here, 'cluster.mjs'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function buildFigures() {
  const out = [];
  const lines = execFileSync('bash', [join(here, 'build.sh'), 'etcd', 'kubernetes', 'kwok'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  for (const line of lines.filter((l) => l.includes('.dir '))) {
    const [name, dir] = line.split(' ');
    const seconds = existsSync(join(dir, 'build-seconds')) ? Number(readFileSync(join(dir, 'build-seconds'), 'utf8')) : null;
    out.push({ tool: name.replace(/\.dir$/, ''), buildSeconds: seconds, binariesBytes: du(join(dir, 'bin')) });
  }
  if (process.env.BENCH_COLD_BUILD) {
    const tmp = mkdtempSync(join(tmpdir(), 'wedsync-cold-build-'));
    const env = { ...process.env, WEDSYNC_CACHE: join(tmp, 'cache'), GOCACHE: join(tmp, 'gocache'), GOMODCACHE: join(tmp, 'gomod') };
    const started = Date.now();
    execFileSync('bash', [join(here, 'build.sh'), 'etcd', 'kubernetes', 'kwok'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    out.push({
      tool: 'cold build (all three, empty Go caches)',
      buildSeconds: (Date.now() - started) / 1000,
      binariesBytes: du(env.WEDSYNC_CACHE),
      goModuleCacheBytes: du(env.GOMODCACHE),
      goBuildCacheBytes: du(env.GOCACHE),
    });
  }
  return out;
}

function startFigures(dirs) {
  const seconds = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = join(repo, '.tmp', 'cluster', `bench-${process.pid}-${i}`);
    dirs.push(dir);
    const up = JSON.parse(
      cluster(['up', '--json', '--dir', dir, '--owner-pid', String(process.pid)])
        .trim()
        .split('\n')
        .pop(),
    );
    seconds.push(up.seconds);
    log(`start ${i + 1}/${RUNS}: ${up.seconds.toFixed(1)} s`);
    if (i < RUNS - 1) cluster(['down', '--purge', '--dir', dir]);
  }
  return { seconds, median: median(seconds), dir: dirs[dirs.length - 1] };
}

function freePort() {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function loadStep(dir, run) {
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  const admin = { server: state.server, token: state.tokens.admin, ca: readFileSync(state.ca, 'utf8') };
  const ns = `bench-step-${process.pid}-${run}`;
  await apply(admin, `/api/v1/namespaces/${ns}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const labels = { 'app.kubernetes.io/name': 'api' };
  await apply(admin, `/apis/apps/v1/namespaces/${ns}/deployments/api`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: ns },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.invalid/api:1' }] } },
    },
  });
  const deployment = async () => JSON.parse((await call(admin, 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/api`)).body);
  await waitFor('2 pods Ready', async () => ((await deployment()).status?.readyReplicas === 2 ? true : undefined), 120_000);

  const port = await freePort();
  const work = mkdtempSync(join(tmpdir(), 'wedsync-bench-step-'));
  const token = 'bench-operator-token-0123456789';
  writeFileSync(
    join(work, 'config.yaml'),
    [
      `agent: { cluster: bench, mode: act, tickSeconds: ${TICK}, listen: { host: 127.0.0.1, port: ${port} }, logLevel: warn }`,
      'sources: { push: { type: push } }',
      'forecast: { backfillHours: 0 }',
      `kubernetes: { connection: kubeconfig, kubeconfig: ${state.kubeconfigs.admin}, leaseNamespace: ${ns}, identity: bench }`,
      `targets: [{ id: api, kubernetes: { namespace: ${ns}, name: api }, load: { source: push, query: api_rps }, capacityPerPod: 50, minReplicas: 2, maxReplicas: 40 }]`,
    ].join('\n'),
  );
  const agent = spawn(process.execPath, [join(repo, 'agent', 'bin', 'wedsync-agent.js'), 'run', '--config', join(work, 'config.yaml')], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, WEDSYNC_API_TOKENS: `operator:${token}` },
  });
  let load = 100;
  const push = () =>
    fetch(`http://127.0.0.1:${port}/api/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ series: [{ name: 'api_rps', points: [[Date.now(), load]] }] }),
    }).catch(() => undefined);
  const pusher = setInterval(push, 1000);
  try {
    await waitFor(
      'the agent to lead',
      async () => ((await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).match(/^wedsync_agent_leader 1$/m) ? true : undefined),
      120_000,
    );
    // Two ticks of steady load: the agent holds 2 pods.
    await new Promise((r) => setTimeout(r, 2 * TICK * 1000));
    load = 1000;
    const stepAt = Date.now();
    await push();
    const readyAt = await waitFor('20 pods Ready', async () => ((await deployment()).status?.readyReplicas >= 20 ? Date.now() : undefined), 600_000);
    const audit = readFileSync(join(dir, 'logs', 'audit.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter(
        (e) =>
          e.stage === 'ResponseComplete' &&
          e.objectRef?.namespace === ns &&
          e.objectRef?.subresource === 'scale' &&
          e.verb === 'patch' &&
          e.user.username === 'wedsync-admin',
      );
    const writes = audit.map((e) => Date.parse(e.requestReceivedTimestamp)).filter((t) => t >= stepAt - 1000);
    return { toScaleWriteSeconds: (Math.min(...writes) - stepAt) / 1000, toReadySeconds: (readyAt - stepAt) / 1000, scaleWrites: writes.length };
  } finally {
    clearInterval(pusher);
    agent.kill('SIGTERM');
    await new Promise((r) => agent.on('exit', r));
    await call(admin, 'DELETE', `/api/v1/namespaces/${ns}`);
  }
}

async function stateSize(dir) {
  const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
  const admin = { server: state.server, token: state.tokens.admin, ca: readFileSync(state.ca, 'utf8') };
  const dist = (p) => require(join(repo, 'agent', 'dist', p));
  const { createKubeApi, makeKubeConfig, loadKubernetesClient } = dist('scale/kubernetes/client-adapter.js');
  const { ConfigMapStateBackend, STATE_DATA_KEY } = dist('durable/configmap-backend.js');
  const { DurableStateStore } = dist('durable/durable-state-store.js');
  const { AgentState } = dist('state.js');
  const { targetSchema, weddingRulesSchema } = dist('config/schema.js');
  const { indexCalendar } = dist('calendar/rules.js');
  const { silentLogger } = dist('util/logger.js');
  const k8s = await loadKubernetesClient();
  const now = Date.now();
  const out = [];
  for (const overrides of [10, 100, 300]) {
    const ns = `bench-state-${process.pid}-${overrides}`;
    await apply(admin, `/api/v1/namespaces/${ns}`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const target = targetSchema.parse({
      id: 'shop-api',
      kubernetes: { namespace: 'shop', name: 'shop-api' },
      load: { source: 'sim', query: 'q' },
      capacityPerPod: 50,
      maxReplicas: 40,
    });
    const agentState = new AgentState(
      { version: 'bench', cluster: 'bench', mode: 'act', leader: true, startedAtMs: now, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      [target],
      indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})),
    );
    const api = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'kubeconfig', kubeconfig: state.kubeconfigs.admin }));
    const store = new DurableStateStore(new ConfigMapStateBackend(api, ns, 'wedsync-agent-state'), agentState, {
      clock: Date.now,
      logger: silentLogger,
      maxAuditEntries: 200,
      intervalMs: 3_600_000,
    });
    await store.start();
    for (let i = 0; i < overrides; i++) {
      agentState.overrides.push({
        id: `ov-${i}-${now}`,
        targetId: 'shop-api',
        type: 'floor',
        replicas: 9,
        untilMs: now + 86_400_000,
        untilWeddingEnds: false,
        reason: 'first dance and speeches, booked by the venue',
        author: 'ops@example.com',
        createdAtMs: now,
      });
    }
    for (let i = 0; i < 400; i++) {
      agentState.audit.push({
        atMs: now + i,
        actor: 'ops@example.com',
        role: 'operator',
        action: 'override.create',
        targetId: 'shop-api',
        detail: {
          id: `ov-${i}-${now}`,
          type: 'floor',
          replicas: 9,
          until: new Date(now + 86_400_000).toISOString(),
          reason: 'first dance and speeches, booked by the venue',
        },
      });
    }
    await store.stop();
    const cm = JSON.parse((await call(admin, 'GET', `/api/v1/namespaces/${ns}/configmaps/wedsync-agent-state`)).body);
    const doc = JSON.parse(cm.data[STATE_DATA_KEY]);
    out.push({
      overrides: doc.overrides.length,
      audit: doc.audit.length,
      dataBytes: Buffer.byteLength(cm.data[STATE_DATA_KEY]),
      objectBytes: Buffer.byteLength(JSON.stringify(cm)),
    });
    await call(admin, 'DELETE', `/api/v1/namespaces/${ns}`);
  }
  return out;
}

const dirs = [];
try {
  const build = buildFigures();
  log('build', JSON.stringify(build));
  const start = startFigures(dirs);
  const steps = [];
  for (let i = 0; i < RUNS; i++) {
    steps.push(await loadStep(start.dir, i));
    log(`load step ${i + 1}/${RUNS}: ${JSON.stringify(steps[steps.length - 1])}`);
  }
  const sizes = await stateSize(start.dir);
  const result = {
    measuredAt: new Date().toISOString(),
    runs: RUNS,
    tickSeconds: TICK,
    build,
    startSeconds: start,
    loadStep: {
      runs: steps,
      medianToScaleWriteSeconds: median(steps.map((s) => s.toScaleWriteSeconds)),
      medianToReadySeconds: median(steps.map((s) => s.toReadySeconds)),
    },
    stateConfigMap: sizes,
  };
  mkdirSync(join(repo, '.tmp'), { recursive: true });
  writeFileSync(join(repo, '.tmp', 'bench-cluster.json'), JSON.stringify(result, null, 2));
  console.log(
    `| build | ${build.map((b) => `${b.tool}: ${b.buildSeconds ?? '?'} s, ${mib(b.binariesBytes)}${b.goModuleCacheBytes ? ` (+ module cache ${mib(b.goModuleCacheBytes)}, build cache ${mib(b.goBuildCacheBytes)})` : ''}`).join('; ')} |`,
  );
  console.log(`| control-plane start (up, fresh dir) | median ${start.median.toFixed(1)} s of ${start.seconds.map((s) => s.toFixed(1)).join(', ')} |`);
  console.log(
    `| 10× load step → scale write (tick ${TICK} s) | median ${result.loadStep.medianToScaleWriteSeconds.toFixed(1)} s of ${steps.map((s) => s.toScaleWriteSeconds.toFixed(1)).join(', ')} |`,
  );
  console.log(
    `| 10× load step → 20 pods Ready under kwok | median ${result.loadStep.medianToReadySeconds.toFixed(1)} s of ${steps.map((s) => s.toReadySeconds.toFixed(1)).join(', ')} |`,
  );
  for (const s of sizes)
    console.log(
      `| state ConfigMap, ${s.audit} audit entries + ${s.overrides} overrides | ${(s.dataBytes / 1024).toFixed(1)} KiB data, ${(s.objectBytes / 1024).toFixed(1)} KiB object |`,
    );
} finally {
  for (const dir of dirs) if (existsSync(dir)) cluster(['down', '--purge', '--dir', dir]);
}
