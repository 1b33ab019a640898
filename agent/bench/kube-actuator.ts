/**
 * bench:kube — the Kubernetes actuator with the real @kubernetes/client-node against the Kubernetes API
 * stand-in running in its own process on 127.0.0.1:
 *  1. one tick's cluster work for 20 targets (10 with an HPA, 10 without), every target changing each
 *     tick: read + apply (re-read, patch, Event), all targets in parallel as the loop runs them;
 *  2. one durable-state round (overrides, audit, open pages in the agent's ConfigMap; nothing changed:
 *     one read, no write);
 *  3. handover: the leader stops (releases the Lease) → the standby leads (default timings: 15 s lease,
 *     2 s retry);
 *  4. crash failover: the leader process is SIGKILLed → the standby leads (bounded by the lease).
 *
 *   npm run bench:kube -w agent      (BENCH_RUNS=5 by default, CRASH_RUNS=3; medians reported)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { indexCalendar } from '../src/calendar/rules';
import { type TargetConfig } from '../src/config/schema';
import { configSchema } from '../src/app/config-schema';
import type { Decision } from '../src/plan/types';
import { ConfigMapStateBackend } from '../src/durable/configmap-backend';
import { DurableStateStore } from '../src/durable/durable-state-store';
import { KubernetesActuator } from '../src/scale/kubernetes/actuator';
import { createKubeApi, loadKubernetesClient, makeKubeConfig } from '../src/scale/kubernetes/client-adapter';
import type { KubeApi } from '../src/contracts/kube-api';
import { LeaseLeaderElector } from '../src/scale/kubernetes/leader-election';
import { AgentState } from '../src/state';
import { silentLogger } from '../src/util/logger';
import { kubeOptions } from './kube-leader-child';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CRASH_RUNS = Number(process.env.CRASH_RUNS ?? 3);
const TARGETS = 20;
const TICKS = 40;

interface StandIn {
  url: string;
  call<T = unknown>(cmd: string, path?: string, obj?: unknown): Promise<T>;
  child: ChildProcess;
}

async function startStandIn(): Promise<StandIn> {
  const child = fork(join(__dirname, '../../test/support/kube-standin-process.js'));
  const url = await new Promise<string>((resolve) => child.once('message', (m: { url: string }) => resolve(m.url)));
  let seq = 0;
  const call = <T = unknown>(cmd: string, path?: string, obj?: unknown) =>
    new Promise<T>((resolve) => {
      const id = ++seq;
      const on = (m: { id: number; result: unknown }) => {
        if (m.id !== id) return;
        child.off('message', on);
        resolve(m.result as T);
      };
      child.on('message', on);
      child.send({ id, cmd, path, obj });
    });
  return { url, call, child };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function tickCost(
  k8s: Awaited<ReturnType<typeof loadKubernetesClient>>,
): Promise<{ tickMs: number[]; syncMs: number[]; requestsPerTick: number; syncRequests: number }> {
  const standIn = await startStandIn();
  const targets = Array.from({ length: TARGETS }, (_, i) => ({
    id: `svc-${i}`,
    kubernetes: { namespace: 'weddings', name: `svc-${i}` },
    load: { source: 'sim', query: `svc-${i}` },
    capacityPerPod: 50,
    maxReplicas: 100,
  }));
  const config = configSchema.parse({ agent: { mode: 'act' }, sources: { sim: { type: 'simulator' } }, kubernetes: { connection: 'in-cluster' }, targets });
  for (const [i, t] of config.targets.entries()) {
    const path = `/apis/apps/v1/namespaces/weddings/deployments/${t.kubernetes.name}`;
    await standIn.call('put', path, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: t.kubernetes.name, namespace: 'weddings', uid: `u${i}` },
      spec: { replicas: 3 },
      status: { readyReplicas: 3 },
    });
    if (i % 2 === 0)
      await standIn.call('put', `/apis/autoscaling/v2/namespaces/weddings/horizontalpodautoscalers/${t.kubernetes.name}`, {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: t.kubernetes.name, namespace: 'weddings' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: t.kubernetes.name }, minReplicas: 3, maxReplicas: 100 },
      });
  }
  const state = new AgentState(
    { version: 'bench', cluster: 'c', mode: 'act', leader: false, startedAtMs: Date.now(), lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
    config.targets,
    indexCalendar({ weddings: [] }, config.wedding),
  );
  const api: KubeApi = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: kubeOptions(standIn.url) }));
  const actuator = new KubernetesActuator({
    config,
    baseDir: __dirname,
    state,
    clock: Date.now,
    logger: silentLogger,
    registry: new Registry(),
    api,
    env: { POD_NAME: 'bench' },
  });
  const durable = new DurableStateStore(new ConfigMapStateBackend(api, 'wedsync', 'wedsync-agent-state'), state, {
    clock: Date.now,
    logger: silentLogger,
    maxAuditEntries: 200,
    intervalMs: 15_000,
  });
  const decision = (t: TargetConfig, desired: number): Decision => ({
    targetId: t.id,
    atMs: Date.now(),
    currentReplicas: 0,
    desiredReplicas: desired,
    reasons: [{ rule: 'bench', replicas: desired, detail: 'bench' }],
    protections: [],
    deployFreeze: false,
    holding: false,
  });
  const tickMs: number[] = [];
  const syncMs: number[] = [];
  let requests = 0;
  let syncRequests = 0;
  for (let tick = 0; tick < TICKS; tick++) {
    await standIn.call('reset');
    const started = performance.now();
    await Promise.all(
      config.targets.map(async (t) => {
        const w = await actuator.scaler.read(t);
        if ('error' in w) throw new Error(w.error);
        const r = await actuator.scaler.apply(t, decision(t, tick % 2 ? 4 : 6));
        if (!r.ok) throw new Error(r.error);
      }),
    );
    tickMs.push(performance.now() - started);
    requests = await standIn.call<number>('requests');
    await standIn.call('reset');
    const s = performance.now();
    await durable.sync();
    syncMs.push(performance.now() - s);
    syncRequests = await standIn.call<number>('requests');
  }
  standIn.child.disconnect();
  return { tickMs: tickMs.slice(5), syncMs: syncMs.slice(5), requestsPerTick: requests, syncRequests };
}

async function handover(k8s: Awaited<ReturnType<typeof loadKubernetesClient>>): Promise<number> {
  const standIn = await startStandIn();
  const api = () => createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: kubeOptions(standIn.url) }));
  const leader = new LeaseLeaderElector(api(), { namespace: 'wedsync', name: 'wedsync-agent', identity: 'a', leaseDurationSeconds: 15, clock: Date.now });
  await leader.tryAcquireOrRenew();
  let ledAt = 0;
  const standby = new LeaseLeaderElector(api(), {
    namespace: 'wedsync',
    name: 'wedsync-agent',
    identity: 'b',
    leaseDurationSeconds: 15,
    clock: Date.now,
    onChange: (l) => l && (ledAt = performance.now()),
  });
  leader.start();
  standby.start();
  await new Promise((r) => setTimeout(r, 500 + Math.random() * 2000)); // a random phase of the standby's 2 s cycle
  const stoppedAt = performance.now();
  await leader.stop();
  while (!ledAt) await new Promise((r) => setTimeout(r, 10));
  await standby.stop();
  standIn.child.disconnect();
  return (ledAt - stoppedAt) / 1000;
}

async function crashFailover(k8s: Awaited<ReturnType<typeof loadKubernetesClient>>): Promise<number> {
  const standIn = await startStandIn();
  const child = fork(join(__dirname, 'kube-leader-child.js'), [standIn.url, 'crashy', '15']);
  await new Promise((resolve) => child.once('message', resolve));
  let ledAt = 0;
  const api = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: kubeOptions(standIn.url) }));
  const standby = new LeaseLeaderElector(api, {
    namespace: 'wedsync',
    name: 'wedsync-agent',
    identity: 'standby',
    leaseDurationSeconds: 15,
    clock: Date.now,
    onChange: (l) => l && (ledAt = performance.now()),
  });
  standby.start();
  await new Promise((r) => setTimeout(r, 3000));
  const killedAt = performance.now();
  child.kill('SIGKILL');
  while (!ledAt) await new Promise((r) => setTimeout(r, 20));
  await standby.stop();
  standIn.child.disconnect();
  return (ledAt - killedAt) / 1000;
}

async function main(): Promise<void> {
  const k8s = await loadKubernetesClient();
  const ticks: number[] = [];
  const p99s: number[] = [];
  const syncs: number[] = [];
  let reqs = 0;
  let syncReqs = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await tickCost(k8s);
    ticks.push(median(r.tickMs));
    p99s.push(pct(r.tickMs, 99));
    syncs.push(median(r.syncMs));
    reqs = r.requestsPerTick;
    syncReqs = r.syncRequests;
  }
  const handovers: number[] = [];
  for (let i = 0; i < RUNS; i++) handovers.push(await handover(k8s));
  const crashes: number[] = [];
  for (let i = 0; i < CRASH_RUNS; i++) crashes.push(await crashFailover(k8s));
  const result = {
    targets: TARGETS,
    runs: RUNS,
    tickMedianMs: +median(ticks).toFixed(1),
    tickP99Ms: +median(p99s).toFixed(1),
    requestsPerTick: reqs,
    stateSyncMedianMs: +median(syncs).toFixed(1),
    stateSyncRequests: syncReqs,
    handoverSeconds: { median: +median(handovers).toFixed(2), max: +Math.max(...handovers).toFixed(2), runs: handovers.length },
    crashFailoverSeconds: { median: +median(crashes).toFixed(2), max: +Math.max(...crashes).toFixed(2), runs: crashes.length },
  };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

void main();
