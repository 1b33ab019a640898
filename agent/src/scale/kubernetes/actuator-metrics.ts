/**
 * The actuator's own metrics, on the agent's registry: measured pod start-up, shadow-mode comparison,
 * and the counters that show a quietly failing side-channel (Events, override sync, leadership flaps).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { METRIC } from '../../metrics/names';
import type { AgentState } from '../../state';
import type { ShadowReport } from '../shadow-report';

export interface ActuatorMetrics {
  eventFailures: Counter<string>;
  overrideSyncFailures: Counter<string>;
  leaderTransitions: Counter<string>;
  heldBack: Counter<'target' | 'direction'>;
  throttledResponses: Counter<string>;
  throttleWaitSeconds: Counter<string>;
}

export function createActuatorMetrics(registry: Registry, state: AgentState, shadow: ShadowReport): ActuatorMetrics {
  new Gauge({
    name: METRIC.podStartupSeconds,
    help: 'Pod start-up measured from the cluster (replica increase → ready; median of recent increases).',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      this.reset();
      for (const t of state.targets.values())
        if (t.workload?.measuredStartupSeconds !== undefined) this.set({ target: t.config.id }, t.workload.measuredStartupSeconds);
    },
  });
  new Gauge({
    name: METRIC.shadowClusterReplicas,
    help: 'Shadow mode: replicas the cluster (the HPA) ran, to compare with wedsync_agent_replicas_desired.',
    labelNames: ['target'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of shadow.targets.values()) this.set({ target: c.targetId }, c.clusterReplicas);
    },
  });
  return {
    eventFailures: new Counter({ name: METRIC.kubernetesEventFailuresTotal, help: 'Kubernetes Events that could not be written.', registers: [registry] }),
    overrideSyncFailures: new Counter({
      name: METRIC.overrideSyncFailuresTotal,
      help: 'Failed reads of the override annotation older versions kept (imported once, on the first start with no state ConfigMap).',
      registers: [registry],
    }),
    leaderTransitions: new Counter({ name: METRIC.leaderTransitionsTotal, help: 'Times this replica gained or lost leadership.', registers: [registry] }),
    throttledResponses: new Counter({
      name: METRIC.kubernetesThrottledResponsesTotal,
      help: 'HTTP 429 (Too Many Requests) answers from the API server; after each the agent sends nothing until its Retry-After has passed.',
      registers: [registry],
    }),
    throttleWaitSeconds: new Counter({
      name: METRIC.kubernetesThrottleWaitSecondsTotal,
      help: "Seconds the agent's Kubernetes calls waited for a Retry-After to pass before they were sent.",
      registers: [registry],
    }),
    heldBack: new Counter({
      name: METRIC.shadowHeldBackTotal,
      help: 'Changes the agent decided but did not make (dry-run and shadow modes), by direction.',
      labelNames: ['target', 'direction'],
      registers: [registry],
    }),
  };
}
