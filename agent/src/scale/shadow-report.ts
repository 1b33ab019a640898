/**
 * Shadow mode's report: each tick, what the agent would have run against what the cluster (the HPA)
 * actually ran. Kept per target as running totals — ticks the agent wanted more or fewer pods, and the
 * replica-seconds each side asked for — so "would it have helped, and at what cost" is one look.
 */
import type { AgentState } from '../state';

export interface ShadowComparison {
  targetId: string;
  atMs: number;
  agentReplicas: number;
  /** What the HPA wanted (status.desiredReplicas) or, without an HPA, the workload's spec.replicas. */
  clusterReplicas: number;
  ticks: number;
  ticksAgentHigher: number;
  ticksAgentLower: number;
  agentReplicaSeconds: number;
  clusterReplicaSeconds: number;
}

export class ShadowReport {
  readonly targets = new Map<string, ShadowComparison>();

  /** Called after every tick with the fresh state. */
  observe(state: AgentState): void {
    for (const t of state.targets.values()) {
      if (!t.decision || !t.workload || t.decision.atMs !== state.info.lastTickMs) continue;
      const cluster = t.workload.hpa?.desiredReplicas ?? t.workload.replicas;
      const agent = t.decision.desiredReplicas;
      const prev = this.targets.get(t.config.id);
      const dtS = prev ? Math.max(0, (t.decision.atMs - prev.atMs) / 1000) : 0;
      this.targets.set(t.config.id, {
        targetId: t.config.id,
        atMs: t.decision.atMs,
        agentReplicas: agent,
        clusterReplicas: cluster,
        ticks: (prev?.ticks ?? 0) + 1,
        ticksAgentHigher: (prev?.ticksAgentHigher ?? 0) + (agent > cluster ? 1 : 0),
        ticksAgentLower: (prev?.ticksAgentLower ?? 0) + (agent < cluster ? 1 : 0),
        // Replica-seconds since the previous tick, at the previous tick's counts (left Riemann sum).
        agentReplicaSeconds: (prev?.agentReplicaSeconds ?? 0) + (prev ? prev.agentReplicas * dtS : 0),
        clusterReplicaSeconds: (prev?.clusterReplicaSeconds ?? 0) + (prev ? prev.clusterReplicas * dtS : 0),
      });
    }
  }
}
