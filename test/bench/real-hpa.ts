/**
 * bench:real-hpa — the real HPA and the agent side by side on a real control plane (issue 21, group 6;
 * test/support/real-hpa-side-by-side.ts): three hours of the demo trace (10:00–13:00 of its first day:
 * calm, the unannounced surge at 11:00, calm again), 20× compressed, replayed to a Deployment scaled by
 * kube-controller-manager's HPA controller (autoscaling/v2, External metric through an APIService) and
 * to its twin scaled by the agent. Reports each schedule's overload and replica-minutes (replay's
 * yardstick) and how closely replay's own HPA emulation (hpaV2) matches the real controller.
 * Starts a control plane of its own (test/cluster; `npm run cluster:build` first) and removes it after.
 *
 *   npm run bench:real-hpa      (BENCH_RUNS=3 by default; medians reported)
 */
import { join } from 'node:path';
import { readTrace } from '../../agent/src/replay/trace';
import { loadKubernetesClient } from '../../agent/src/scale/kubernetes/client-adapter';
import { privateCluster } from '../support/private-cluster';
import { createNamespace } from '../support/real-cluster';
import { runSideBySide, traceWindow, type SideBySideResult } from '../support/real-hpa-side-by-side';

/** The repository root (this file runs compiled from .tmp/bench-real-hpa/test/bench). */
const REPO = join(__dirname, '..', '..', '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FROM = Number(process.env.BENCH_FROM_MINUTE ?? 600);
const MINUTES = Number(process.env.BENCH_MINUTES ?? 180);
const COMPRESSION = 20;
const HPA_SYNC_SECONDS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const k8s = await loadKubernetesClient();
  const cluster = await privateCluster('bench-real-hpa');
  const results: SideBySideResult[] = [];
  try {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    const trace = traceWindow(readTrace(join(REPO, 'agent', 'demo', 'trace')), FROM, MINUTES);
    for (let run = 1; run <= RUNS; run++) {
      const namespace = await createNamespace(cluster, 'bench-real-hpa');
      const r = await runSideBySide({
        k8s,
        kc,
        namespace,
        trace,
        compression: COMPRESSION,
        hpaSyncSeconds: HPA_SYNC_SECONDS,
        podSpec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] },
      });
      results.push(r);
      console.log(
        `run ${run}: hpa ${JSON.stringify(r.scores.hpa)} agent ${JSON.stringify(r.scores.agent)} emulated ${JSON.stringify(r.scores.emulated)} ` +
          `hpa-vs-emulation ${JSON.stringify(r.hpaVsEmulation)} late steps ${r.lateSteps}`,
      );
    }
  } finally {
    await cluster.destroy();
  }
  const m = (f: (r: SideBySideResult) => number) => median(results.map(f));
  const row = (
    name: string,
    f: (r: SideBySideResult) => { overloadMinutes: number; unservedRequests: number; replicaHours: number; peakReplicas: number },
    minutes: (r: SideBySideResult) => number,
  ) => `| ${name} | ${m((r) => f(r).overloadMinutes)} | ${m((r) => f(r).unservedRequests)} | ${m(minutes)} | ${m((r) => f(r).peakReplicas)} |`;
  console.log(
    `\nbench:real-hpa — ${MINUTES} trace minutes from minute ${FROM} of agent/demo/trace, ${COMPRESSION}× compressed, HPA sync ${HPA_SYNC_SECONDS} s (${HPA_SYNC_SECONDS * COMPRESSION} s of trace time); median of ${RUNS} run(s)\n`,
  );
  console.log('| schedule | overload minutes | unserved requests | replica-minutes | peak replicas |');
  console.log('|---|---|---|---|---|');
  console.log(
    row(
      'real HPA (kube-controller-manager)',
      (r) => r.scores.hpa,
      (r) => r.replicaMinutes.hpa,
    ),
  );
  console.log(
    row(
      'agent (real Agent, Kubernetes scaler)',
      (r) => r.scores.agent,
      (r) => r.replicaMinutes.agent,
    ),
  );
  console.log(
    row(
      "replay's HPA emulation (hpaV2)",
      (r) => r.scores.emulated,
      (r) => r.replicaMinutes.emulated,
    ),
  );
  console.log(
    `\nreal HPA vs emulation: equal at ${(m((r) => r.hpaVsEmulation.equalShare) * 100).toFixed(0)} % of steps, mean |Δ| ${m((r) => r.hpaVsEmulation.meanAbsDiff).toFixed(2)} replicas, max |Δ| ${m((r) => r.hpaVsEmulation.maxAbsDiff)}, replica-minutes emulated/real ${m((r) => r.hpaVsEmulation.replicaMinutesRatio).toFixed(3)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
