/**
 * The real HPA side by side with the agent on a real control plane (issue 21, group 6;
 * test/support/real-hpa-side-by-side.ts): kube-controller-manager's HPA controller scales one Deployment
 * on an External metric that a small external-metrics API in this test serves through an APIService
 * (ExternalName Service → 127.0.0.1), the agent scales its twin, both on the same replayed load: an hour
 * of the demo trace around its unannounced surge, 20× compressed. The longer replay and its figures are
 * bench:real-hpa (BENCHMARKS.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTrace } from '../agent/src/replay/trace';
import type { KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import { CLUSTER_START_TIMEOUT_MS, createNamespace, realCluster } from './support/real-cluster';
import { runSideBySide, traceWindow, type SideBySideResult } from './support/real-hpa-side-by-side';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
const k8s: KubernetesClientModule = require('@kubernetes/client-node');
const HPA_SYNC_SECONDS = 3; // test/cluster's --horizontal-pod-autoscaler-sync-period
const COMPRESSION = 20;

let result: SideBySideResult;

beforeAll(async () => {
  const cluster = await realCluster();
  const namespace = await createNamespace(cluster, 'real-hpa');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  // 10:40–11:40 of the demo trace's first day: calm, then the surge at 11:00 (×10 in eight minutes).
  const trace = traceWindow(readTrace(join(__dirname, '..', 'agent', 'demo', 'trace')), 640, 60);
  result = await runSideBySide({
    k8s,
    kc,
    namespace,
    trace,
    compression: COMPRESSION,
    hpaSyncSeconds: HPA_SYNC_SECONDS,
    podSpec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
  });
  // The run's figures, for a reader (bench:real-hpa reports the longer replay in BENCHMARKS.md).
  mkdirSync(join(__dirname, '..', '.tmp'), { recursive: true });
  writeFileSync(join(__dirname, '..', '.tmp', 'real-hpa-side-by-side.json'), JSON.stringify(result, null, 1));
}, CLUSTER_START_TIMEOUT_MS + 600_000);

describe('real HPA (autoscaling/v2, External metric through an APIService) and the agent side by side on the same replayed load (real control plane)', () => {
  test('real server: the HPA controller read the replayed load through the aggregator and scaled its Deployment for the surge', () => {
    expect(result.metricReads).toBeGreaterThan(10);
    const calm = result.hpa[0];
    expect(Math.max(...result.hpa)).toBeGreaterThanOrEqual(calm * 3);
  });

  test('real server: the agent scaled its twin for the surge through the scale subresource', () => {
    expect(Math.max(...result.agent)).toBeGreaterThanOrEqual(result.agent[0] * 3);
  });

  test("real server: both schedules are scored by replay's yardstick, and replay's HPA emulation is compared with the real controller", () => {
    for (const s of [result.scores.hpa, result.scores.agent, result.scores.emulated]) expect(s.replicaHours).toBeGreaterThan(0);
    expect(result.hpaVsEmulation.steps).toBe(60);
    // The emulation is a model of the same controller on the same load: it must land near it, not on it.
    expect(result.hpaVsEmulation.replicaMinutesRatio).toBeGreaterThan(0.5);
    expect(result.hpaVsEmulation.replicaMinutesRatio).toBeLessThan(2);
    // The harness kept the pace (a step that overran would blur the comparison).
    expect(result.lateSteps).toBeLessThanOrEqual(3);
  });
});
