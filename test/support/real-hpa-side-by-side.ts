/**
 * The real HPA and the agent side by side on a real control plane (issue 21, group 6), shared by
 * test/real-cluster-hpa-side-by-side.test.ts and the bench:real-hpa script.
 *
 * Two Deployments read the same replayed load: `hpa-twin` is scaled by a real autoscaling/v2
 * HorizontalPodAutoscaler (kube-controller-manager's HPA controller) on an External metric served by
 * test/support/external-metrics-api.ts through an APIService; `agent-twin` is scaled by the real Agent
 * (the replay's wiring: push source, forecaster, planner) through the Kubernetes scaler, its clock the
 * trace's clock. The trace is played compressed in time: one trace step every stepSeconds / compression
 * real seconds, and the HPA's own windows (scale-up period, scale-down stabilisation) are compressed by
 * the same factor. At the end of each step both Deployments' spec.replicas are read: those are the two
 * schedules, scored by replay's own yardstick (replay/score.ts), and the real HPA's schedule is compared
 * with replay's HPA emulation (replay/reference-policies.ts hpaV2) given the same timing.
 */
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { Agent } from '../../agent/src/app/agent';
import type { LoadedConfig } from '../../agent/src/app/config-load';
import { configSchema } from '../../agent/src/app/config-schema';
import { CalendarMemoForecaster } from '../../agent/src/replay/calendar-memo-forecaster';
import { hpaV2, replicasNeeded, type HpaOptions, type ServiceShape } from '../../agent/src/replay/reference-policies';
import { REPLAY_SERIES, REPLAY_SOURCE, replayConfig } from '../../agent/src/replay/replay-config';
import { scoreSchedule, type Score } from '../../agent/src/replay/score';
import type { Trace } from '../../agent/src/replay/trace';
import { createKubeApi, type KubernetesClientModule } from '../../agent/src/scale/kubernetes/client-adapter';
import { KubeEventRecorder } from '../../agent/src/scale/kubernetes/event-recorder';
import { KubernetesScaler } from '../../agent/src/scale/kubernetes/kubernetes-scaler';
import type { PushSource } from '../../agent/src/sources/push-source';
import { createForecaster } from '../../agent/src/forecast/seasonal-calendar-forecaster';
import { ManualClock } from '../../agent/src/util/clock';
import { silentLogger } from '../../agent/src/util/logger';
import { quantity, startExternalMetricsApi, type ExternalMetricsApi } from './external-metrics-api';

export const METRIC = 'wedsync_replayed_rps';
const HPA_TWIN = 'hpa-twin';
const AGENT_TWIN = 'agent-twin';

export interface SideBySideOptions {
  k8s: KubernetesClientModule;
  /** An identity allowed to create namespaces, Deployments, HPAs, Services and the APIService. */
  kc: K8s.KubeConfig;
  namespace: string;
  /** The trace (or a window of it) to play. */
  trace: Trace;
  /** Trace seconds per real second. */
  compression: number;
  /** kube-controller-manager's --horizontal-pod-autoscaler-sync-period, in real seconds. */
  hpaSyncSeconds: number;
  /** The pod spec both twins run (nodes, tolerations: what the cluster's kwok nodes need). */
  podSpec: K8s.V1PodSpec;
  /** Told after each step (progress). */
  onStep?: (step: number, hpa: number, agent: number) => void;
}

export interface Comparison {
  steps: number;
  /** Share of steps where the real HPA and the emulation asked for the same count. */
  equalShare: number;
  meanAbsDiff: number;
  maxAbsDiff: number;
  /** Emulated replica-minutes / real HPA replica-minutes. */
  replicaMinutesRatio: number;
}

export interface SideBySideResult {
  demand: number[];
  hpa: number[];
  agent: number[];
  emulated: number[];
  scores: { hpa: Score; agent: Score; emulated: Score };
  /** Replica-minutes in trace time (Σ replicas × step minutes). */
  replicaMinutes: { hpa: number; agent: number; emulated: number };
  hpaVsEmulation: Comparison;
  /** The HPA's timing in trace seconds, as given to the emulation. */
  emulation: HpaOptions;
  metricReads: number;
  /** Steps whose real duration overran (the harness could not keep the pace). */
  lateSteps: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** Steps [from, from + steps) of a trace, as a trace of their own (the calendar is the whole trace's). */
export function traceWindow(trace: Trace, from: number, steps: number): Trace {
  const startMs = trace.startMs + from * trace.stepMs;
  return {
    ...trace,
    meta: { ...trace.meta, start: new Date(startMs).toISOString(), minutes: (steps * trace.stepMs) / 60_000 },
    startMs,
    demand: trace.demand.slice(from, from + steps),
    ...(trace.missing ? { missing: trace.missing.slice(from, from + steps) } : {}),
  };
}

export function compare(real: readonly number[], emulated: readonly number[]): Comparison {
  let equal = 0;
  let sumAbs = 0;
  let maxAbs = 0;
  for (let i = 0; i < real.length; i++) {
    const d = Math.abs(real[i] - emulated[i]);
    if (d === 0) equal++;
    sumAbs += d;
    maxAbs = Math.max(maxAbs, d);
  }
  const sum = (a: readonly number[]) => a.reduce((s, x) => s + x, 0);
  return {
    steps: real.length,
    equalShare: equal / real.length,
    meanAbsDiff: sumAbs / real.length,
    maxAbsDiff: maxAbs,
    replicaMinutesRatio: sum(emulated) / sum(real),
  };
}

/** The HPA's behaviour, compressed: the default policies (max(+100 %, +4 pods) per 15 s up, 300 s down-stabilisation) in trace time. */
function hpaObject(namespace: string, shape: ServiceShape, compression: number) {
  const period = Math.max(1, Math.round(15 / compression));
  const window = Math.max(1, Math.round(300 / compression));
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: HPA_TWIN, namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: HPA_TWIN },
      minReplicas: Math.max(1, shape.minReplicas),
      maxReplicas: shape.maxReplicas,
      metrics: [
        {
          type: 'External',
          external: { metric: { name: METRIC }, target: { type: 'AverageValue', averageValue: quantity(shape.capacityPerPod * shape.targetUtilization) } },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [
            { type: 'Percent', value: 100, periodSeconds: period },
            { type: 'Pods', value: 4, periodSeconds: period },
          ],
        },
        scaleDown: { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: period }] },
      },
    },
  };
}

function deploymentObject(namespace: string, name: string, replicas: number, podSpec: K8s.V1PodSpec) {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'wedsync-real-hpa-test' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  };
}

/** The agent twin: replay's Agent wiring, its scaler the Kubernetes one against the real API server. */
function agentTwin(o: SideBySideOptions, clock: ManualClock): { agent: Agent; source: PushSource } {
  const user: LoadedConfig = {
    config: configSchema.parse({
      sources: { [REPLAY_SOURCE]: { type: 'push' } },
      targets: [
        {
          id: AGENT_TWIN,
          kubernetes: { namespace: o.namespace, name: AGENT_TWIN },
          load: { source: REPLAY_SOURCE, query: REPLAY_SERIES },
          capacityPerPod: 1,
          maxReplicas: 1,
        },
      ],
    }),
    file: 'real-hpa-side-by-side',
    baseDir: o.trace.dir,
  };
  const loaded = replayConfig(o.trace, user);
  const api = createKubeApi(o.k8s, o.kc, 'wedsync-agent-twin');
  const agent = new Agent(loaded, {
    clock: clock.now,
    scaler: new KubernetesScaler(api, new KubeEventRecorder(api, clock.now), clock.now),
    logger: silentLogger,
    newForecaster: () => new CalendarMemoForecaster(createForecaster()),
  });
  return { agent, source: agent.sources[REPLAY_SOURCE] as PushSource };
}

export async function runSideBySide(o: SideBySideOptions): Promise<SideBySideResult> {
  const { k8s, kc, namespace, trace } = o;
  const meta = trace.meta;
  const shape: ServiceShape = {
    capacityPerPod: meta.podCapacityRps,
    podStartupSeconds: meta.podStartupSeconds,
    stepSeconds: meta.stepSeconds,
    targetUtilization: meta.targetUtilization,
    minReplicas: meta.minReplicas,
    maxReplicas: meta.maxReplicas,
  };
  const demand = Array.from(trace.demand);
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const registration = kc.makeApiClient(k8s.ApiregistrationV1Api);
  let current = demand[0];
  let metrics: ExternalMetricsApi | null = null;
  const start = replicasNeeded(shape, demand[0]);
  const clock = new ManualClock(trace.startMs);
  const { agent, source } = agentTwin(o, clock);
  try {
    metrics = await startExternalMetricsApi({ namespace, serviceName: 'wedsync-test-external-metrics', metrics: { [METRIC]: () => current } });
    for (const obj of [
      ...metrics.objects(),
      deploymentObject(namespace, HPA_TWIN, start, o.podSpec),
      deploymentObject(namespace, AGENT_TWIN, start, o.podSpec),
      hpaObject(namespace, shape, o.compression),
    ])
      await objects.create(obj);
    // The aggregator probes the new APIService before it routes to it.
    await until(
      'the external-metrics APIService to be Available',
      async () => {
        const s = await registration.readAPIService({ name: 'v1beta1.external.metrics.k8s.io' });
        return s.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ?? false;
      },
      60_000,
    );
    // Warm up: the HPA reads the first step's load until it settles where the emulation starts (the start count).
    const hpas = kc.makeApiClient(k8s.AutoscalingV2Api);
    await until(
      'the HPA to read the external metric',
      async () => {
        const h = await hpas.readNamespacedHorizontalPodAutoscaler({ name: HPA_TWIN, namespace });
        return (h.status?.currentMetrics?.length ?? 0) > 0 && metrics!.reads.length > 0;
      },
      90_000,
    );
    await agent.calendar.refresh(trace.startMs);

    const realStepMs = (meta.stepSeconds * 1000) / o.compression;
    const hpa: number[] = [];
    const twin: number[] = [];
    let lateSteps = 0;
    const t0 = Date.now();
    for (let k = 0; k < demand.length; k++) {
      current = demand[k];
      clock.nowMs = trace.startMs + k * trace.stepMs;
      source.ingest(REPLAY_SERIES, {}, [[clock.nowMs, demand[k]]], clock.nowMs);
      await agent.loop.tick();
      const end = t0 + (k + 1) * realStepMs;
      const readAt = end - Math.min(250, realStepMs / 4);
      if (Date.now() > readAt) lateSteps++;
      await sleep(readAt - Date.now());
      const [h, a] = await Promise.all([HPA_TWIN, AGENT_TWIN].map((name) => apps.readNamespacedDeployment({ name, namespace })));
      hpa.push(h.spec?.replicas ?? 0);
      twin.push(a.spec?.replicas ?? 0);
      o.onStep?.(k, hpa[k], twin[k]);
      await sleep(end - Date.now());
    }

    const emulation: HpaOptions = {
      tolerance: 0.1,
      metricDelaySteps: 1,
      scaleDownStabilizationSeconds: Math.max(1, Math.round(300 / o.compression)) * o.compression,
      syncPeriodSeconds: o.hpaSyncSeconds * o.compression,
    };
    const emulated = Array.from(hpaV2(demand, shape, emulation));
    const minutes = (s: readonly number[]) => Math.round((s.reduce((x, y) => x + y, 0) * meta.stepSeconds) / 60);
    return {
      demand,
      hpa,
      agent: twin,
      emulated,
      scores: { hpa: scoreSchedule(hpa, demand, shape), agent: scoreSchedule(twin, demand, shape), emulated: scoreSchedule(emulated, demand, shape) },
      replicaMinutes: { hpa: minutes(hpa), agent: minutes(twin), emulated: minutes(emulated) },
      hpaVsEmulation: compare(hpa, emulated),
      emulation,
      metricReads: metrics.reads.length,
      lateSteps,
    };
  } finally {
    await agent.stop().catch(() => undefined);
    await registration.deleteAPIService({ name: 'v1beta1.external.metrics.k8s.io' }).catch(() => undefined);
    await metrics?.close();
  }
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      if (await ok()) return;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await sleep(500);
  }
}
