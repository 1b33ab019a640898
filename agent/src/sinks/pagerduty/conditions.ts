/**
 * The agent's critical conditions — what is worth waking someone for — as a pure function of the
 * state, the instant and what it remembered last time (when each fault started). No I/O, no clock.
 * Which weddings are live comes from each target's view of the last tick, as the planner saw it.
 *
 *   scale-blocked-during-wedding  a wedding-critical target cannot be scaled while its weddings are live
 *   pinned-at-max-overloaded      a target at maxReplicas still above the overload utilisation, for a while
 *   kubernetes-unreachable        the cluster has failed reads/writes for longer than allowed, inside a
 *                                 protection window (one page for the cluster, not one per target)
 *   load-source-unreachable       a load source (Prometheus, …) has failed for longer than allowed, inside
 *                                 a protection window (one page per source)
 *   break-glass-during-freeze     a frozen target was changed with wedsync.io/emergency-change while its
 *                                 protected weddings were live (break-glass-condition.ts)
 * Outside protection windows the unreachable faults are still visible on /metrics and the dashboard;
 * they page only when a live Saturday wedding depends on them.
 */
import type { AgentState, TargetState } from '../../state';
import { breakGlassConditions } from './break-glass-condition';

export type ConditionKind = 'scale-blocked-during-wedding' | 'pinned-at-max-overloaded' | 'kubernetes-unreachable' | 'load-source-unreachable' | 'break-glass-during-freeze';
export type PageSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface CriticalCondition {
  kind: ConditionKind;
  /** Stable across ticks and restarts: the same fault always maps to the same PagerDuty incident. */
  dedupKey: string;
  severity: PageSeverity;
  summary: string;
  targets: string[];
  details: Record<string, unknown>;
}

export interface ConditionOptions {
  cluster: string;
  unreachableAfterMs: number;
  /** Utilisation (observed ÷ ready capacity) at or above which a target is overloaded; 1 = every pod at capacity. */
  overloadUtilization: number;
  overloadedAfterMs: number;
}

/** When each underlying fault was first seen; faults that cleared are forgotten. */
export type ConditionMemory = Readonly<Record<string, number>>;

export function dedupKey(cluster: string, kind: ConditionKind, subject: string): string {
  return `wedsync/${cluster}/${kind}/${subject}`.slice(0, 255);
}

/**
 * Kubernetes failed this target on the last tick: the workload read failed (so no fresh decision was
 * made), or the leader's scale call failed (a fresh decision the workload does not match).
 */
export function kubernetesFailing(t: TargetState, state: AgentState): boolean {
  if (t.lastScaleError === null) return false;
  const fresh = t.decision !== null && t.decision.atMs === state.info.lastTickMs;
  if (!fresh) return true;
  return state.info.leader && t.workload !== null && t.decision!.desiredReplicas !== t.workload.replicas;
}

export function utilization(t: TargetState): number | null {
  if (!t.workload || !t.observed || t.stale) return null;
  const capacity = t.workload.readyReplicas * t.config.capacityPerPod;
  return capacity > 0 ? t.observed.value / capacity : t.observed.value > 0 ? Infinity : 0;
}

export function evaluateConditions(state: AgentState, opts: ConditionOptions, nowMs: number, memory: ConditionMemory): { conditions: CriticalCondition[]; memory: ConditionMemory } {
  const next: Record<string, number> = {};
  /** Records that `fault` holds now and says for how long it has held. */
  const heldFor = (fault: string): number => {
    next[fault] = memory[fault] ?? nowMs;
    return nowMs - next[fault];
  };
  const conditions: CriticalCondition[] = [];
  const targets = [...state.targets.values()];
  const protecting = (t: TargetState) => (t.view?.calendar.protecting.length ?? 0) > 0;

  for (const t of targets) {
    const id = t.config.id;
    const live = t.view?.calendar.live.length ?? 0;
    if (t.config.weddingCritical && live > 0 && kubernetesFailing(t, state)) {
      conditions.push({
        kind: 'scale-blocked-during-wedding',
        dedupKey: dedupKey(opts.cluster, 'scale-blocked-during-wedding', id),
        severity: 'critical',
        summary: `[${opts.cluster}] wedding-critical ${id} cannot be scaled during ${live} live wedding(s): ${short(t.lastScaleError)}`,
        targets: [id],
        details: { liveWeddings: live, error: short(t.lastScaleError), desiredReplicas: t.decision?.desiredReplicas ?? null, currentReplicas: t.workload?.replicas ?? null },
      });
    }
    const util = utilization(t);
    if (t.workload && t.workload.replicas >= t.config.maxReplicas && util !== null && util >= opts.overloadUtilization) {
      if (heldFor(`overloaded/${id}`) >= opts.overloadedAfterMs) {
        conditions.push({
          kind: 'pinned-at-max-overloaded',
          dedupKey: dedupKey(opts.cluster, 'pinned-at-max-overloaded', id),
          severity: t.config.weddingCritical && live > 0 ? 'critical' : 'error',
          summary: `[${opts.cluster}] ${id} is at maxReplicas (${t.config.maxReplicas}) and still overloaded (utilisation ${formatRatio(util)})`,
          targets: [id],
          details: { maxReplicas: t.config.maxReplicas, readyReplicas: t.workload.readyReplicas, observedLoad: t.observed?.value ?? null, utilization: Number.isFinite(util) ? util : 'no ready pods', liveWeddings: live },
        });
      }
    }
  }

  const kubeFailing = targets.filter((t) => kubernetesFailing(t, state));
  if (kubeFailing.length) {
    const forMs = heldFor('kubernetes');
    const inWindow = kubeFailing.filter(protecting);
    if (forMs >= opts.unreachableAfterMs && inWindow.length) {
      conditions.push({
        kind: 'kubernetes-unreachable',
        dedupKey: dedupKey(opts.cluster, 'kubernetes-unreachable', 'cluster'),
        severity: 'critical',
        summary: `[${opts.cluster}] Kubernetes unreachable for ${Math.round(forMs / 1000)} s during Saturday wedding protection (${inWindow.map((t) => t.config.id).join(', ')})`,
        targets: inWindow.map((t) => t.config.id),
        details: { failingForSeconds: Math.round(forMs / 1000), error: short(kubeFailing[0].lastScaleError) },
      });
    }
  }

  const bySource = new Map<string, TargetState[]>();
  for (const t of targets) if (t.lastReadError !== null && t.stale) bySource.set(t.config.load.source, [...(bySource.get(t.config.load.source) ?? []), t]);
  for (const [source, failing] of bySource) {
    const forMs = heldFor(`source/${source}`);
    const inWindow = failing.filter(protecting);
    if (forMs >= opts.unreachableAfterMs && inWindow.length) {
      conditions.push({
        kind: 'load-source-unreachable',
        dedupKey: dedupKey(opts.cluster, 'load-source-unreachable', source),
        severity: inWindow.some((t) => t.config.weddingCritical) ? 'critical' : 'error',
        summary: `[${opts.cluster}] load source "${source}" unreachable for ${Math.round(forMs / 1000)} s during Saturday wedding protection (${inWindow.map((t) => t.config.id).join(', ')})`,
        targets: inWindow.map((t) => t.config.id),
        details: { source, failingForSeconds: Math.round(forMs / 1000), error: short(failing[0].lastReadError) },
      });
    }
  }
  conditions.push(...breakGlassConditions(state, opts.cluster, (subject) => dedupKey(opts.cluster, 'break-glass-during-freeze', subject)));
  return { conditions, memory: next };
}

function short(s: string | null): string {
  return (s ?? 'unknown error').slice(0, 200);
}

function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${Math.round(r * 100)} %` : 'no ready pods';
}
