/**
 * Evaluates the page-worthy conditions of paging/definitions.ts on the state the last tick stored: a
 * pure function of the state, the options, the instant and what it remembered last time (when each
 * fault started). No I/O, no clock. Which weddings are live comes from each target's stored view.
 *
 * The kinds are disjoint on purpose, so one fault opens one incident: a failed workload *read* is
 * `kubernetes-unreachable` (one for the cluster), a failed *write* after a good read is `scale-blocked`
 * (per target), a failed load read is `load-source-unreachable` (per source), `pinned-at-max-overloaded`
 * needs a fresh reading and a workload that answered, `break-glass-during-freeze` is one emergency change
 * (target and generation) during a deploy freeze, and `peer-cluster-lost` is about another cluster
 * (one per lost peer; the fleet source keeps peers' last health while the global store is down, so the
 * store's own outage opens and resolves nothing).
 */
import type { AgentState, TargetState } from '../state';
import { dedupKey, pageSeverity, PAGE_DEFINITIONS, type ConditionKind } from './definitions';
import type { CriticalCondition, ConditionMemory } from '../contracts/page-condition';

export type { CriticalCondition, ConditionMemory };

export type { ConditionKind, PageSeverity } from './definitions';
export { dedupKey } from './definitions';

export interface ConditionOptions {
  cluster: string;
  unreachableAfterMs: number;
  /** Utilisation (observed ÷ ready capacity) at or above which a target is overloaded; 1 = every pod at capacity. */
  overloadUtilization: number;
  overloadedAfterMs: number;
  /** How long scale writes must keep failing; 0 (the default here) pages at the first failure. */
  scaleBlockedAfterMs?: number;
  /** How long a peer cluster must stay lost; 0 (the default) pages as soon as the fleet source says so. */
  peerLostAfterMs?: number;
}

/** The workload read failed on the last tick (so no fresh decision was made). */
export function kubernetesReadFailing(t: TargetState, state: AgentState): boolean {
  return t.lastScaleError !== null && (t.decision === null || t.decision.atMs !== state.info.lastTickMs);
}

/** The leader's scale write failed on the last tick: a fresh decision the workload does not match. */
export function scaleWriteFailing(t: TargetState, state: AgentState): boolean {
  if (t.lastScaleError === null || kubernetesReadFailing(t, state)) return false;
  return state.info.leader && t.workload !== null && t.decision !== null && t.decision.desiredReplicas !== t.workload.replicas;
}

export function utilization(t: TargetState): number | null {
  if (!t.workload || !t.observed || t.stale) return null;
  const capacity = t.workload.readyReplicas * t.config.capacityPerPod;
  return capacity > 0 ? t.observed.value / capacity : t.observed.value > 0 ? Infinity : 0;
}

/** The target's wedding window, as the recording rule `wedsync_target:wedding_window:bool` defines it. */
export function weddingDay(t: TargetState): boolean {
  return (t.view?.calendar.live.length ?? 0) > 0 || t.decision?.deployFreeze === true || t.decision?.protections.includes('saturday') === true;
}

export interface Evaluation {
  conditions: CriticalCondition[];
  memory: ConditionMemory;
  /**
   * Dedup keys of conditions that could not be judged this time (no fresh observation: a push source's
   * first ticks after a restart, a stale reading, no workload read). Not evidence that they cleared: an
   * open page for one stays open, and the fault's start time is kept.
   */
  undetermined: string[];
}

export function evaluateConditions(state: AgentState, opts: ConditionOptions, nowMs: number, memory: ConditionMemory): Evaluation {
  const next: Record<string, number> = {};
  const undetermined: string[] = [];
  /** Records that `fault` holds now and says for how long it has held. */
  const heldFor = (fault: string): number => {
    next[fault] = memory[fault] ?? nowMs;
    return nowMs - next[fault];
  };
  const conditions: CriticalCondition[] = [];
  const push = (kind: ConditionKind, subject: string, involved: TargetState[], summary: string, details: Record<string, unknown>) => {
    const wedding = involved.some(weddingDay);
    const critical = involved.some((t) => t.config.weddingCritical && weddingDay(t));
    conditions.push({
      kind,
      subject,
      dedupKey: dedupKey(opts.cluster, kind, subject),
      severity: pageSeverity(wedding, critical),
      weddingDay: wedding,
      summary: `[${opts.cluster}] ${summary}`,
      targets: involved.map((t) => t.config.id),
      details: { ...details, liveWeddings: involved.reduce((n, t) => n + (t.view?.calendar.live.length ?? 0), 0) },
    });
  };
  const targets = [...state.targets.values()];

  for (const t of targets) {
    const id = t.config.id;
    if (scaleWriteFailing(t, state) && heldFor(`scale/${id}`) >= (opts.scaleBlockedAfterMs ?? 0)) {
      push(
        'scale-blocked',
        id,
        [t],
        `${id} cannot be scaled to ${t.decision!.desiredReplicas} replicas (runs ${t.workload!.replicas}): ${short(t.lastScaleError)}`,
        {
          error: short(t.lastScaleError),
          desiredReplicas: t.decision!.desiredReplicas,
          currentReplicas: t.workload!.replicas,
        },
      );
    }
    const util = utilization(t);
    if (util === null) {
      undetermined.push(dedupKey(opts.cluster, 'pinned-at-max-overloaded', id));
      if (memory[`overloaded/${id}`] !== undefined) next[`overloaded/${id}`] = memory[`overloaded/${id}`];
    }
    if (
      t.workload &&
      t.workload.replicas >= t.config.maxReplicas &&
      util !== null &&
      util >= opts.overloadUtilization &&
      heldFor(`overloaded/${id}`) >= opts.overloadedAfterMs
    ) {
      push('pinned-at-max-overloaded', id, [t], `${id} is at maxReplicas (${t.config.maxReplicas}) and still overloaded (utilisation ${formatRatio(util)})`, {
        maxReplicas: t.config.maxReplicas,
        readyReplicas: t.workload.readyReplicas,
        observedLoad: t.observed?.value ?? null,
        utilization: Number.isFinite(util) ? util : 'no ready pods',
      });
    }
  }

  const unreadable = targets.filter((t) => kubernetesReadFailing(t, state));
  if (unreadable.length) {
    const forMs = heldFor('kubernetes');
    if (forMs >= opts.unreachableAfterMs)
      push(
        'kubernetes-unreachable',
        'cluster',
        unreadable,
        `Kubernetes unreachable for ${Math.round(forMs / 1000)} s (${unreadable.map((t) => t.config.id).join(', ')})`,
        {
          failingForSeconds: Math.round(forMs / 1000),
          error: short(unreadable[0].lastScaleError),
        },
      );
  }

  const bySource = new Map<string, TargetState[]>();
  for (const t of targets) if (t.lastReadError !== null && t.stale) bySource.set(t.config.load.source, [...(bySource.get(t.config.load.source) ?? []), t]);
  for (const [source, failing] of bySource) {
    const forMs = heldFor(`source/${source}`);
    if (forMs >= opts.unreachableAfterMs)
      push(
        'load-source-unreachable',
        source,
        failing,
        `load source "${source}" unreachable for ${Math.round(forMs / 1000)} s (${failing.map((t) => t.config.id).join(', ')})`,
        {
          source,
          failingForSeconds: Math.round(forMs / 1000),
          error: short(failing[0].lastReadError),
        },
      );
  }

  // A lost peer's page names the targets whose floors went up; its wedding day is judged on them (or, when
  // none was raised yet, on every target this cluster runs).
  const peers = state.fleet?.peers ?? [];
  const raised = peers.length ? targets.filter((t) => t.decision?.protections.includes('peer_failover')) : [];
  for (const p of peers) {
    if (p.health !== 'lost' || heldFor(`peer/${p.cluster}`) < (opts.peerLostAfterMs ?? 0)) continue;
    push(
      'peer-cluster-lost',
      p.cluster,
      raised.length ? raised : targets,
      `peer cluster ${p.cluster} lost (${p.reason}); ${opts.cluster} raised its floors by the peer's share${raised.length ? ` (${raised.map((t) => t.config.id).join(', ')})` : ''}`,
      {
        peer: p.cluster,
        share: p.share,
        reason: p.reason,
        lostSince: p.lostSinceMs === null ? null : new Date(p.lostSinceMs).toISOString(),
      },
    );
  }

  // Break glass during a freeze: one incident per change (the generation, the same on every replica), open
  // while the freeze it broke still holds.
  // (Asked after every tick; break glass is rare: no copy of the empty list.)
  for (const e of state.breakGlass.length ? state.breakGlass.toArray() : []) {
    const t = state.targets.get(e.targetId);
    const freeze = t?.view?.calendar.freeze;
    if (!t || !e.duringFreeze || !freeze?.frozen || freeze.sinceMs === null || e.atMs < freeze.sinceMs) continue;
    const change = e.generation !== undefined ? `generation-${e.generation}` : `at-${e.atMs}`;
    push(
      'break-glass-during-freeze',
      `${e.targetId}/${change}`,
      [t],
      `break glass on ${e.targetId} during the deploy freeze: "${e.reason}" by ${e.by} (weddings live: ${e.weddings.join(', ')})`,
      {
        reason: e.reason,
        by: e.by,
        at: new Date(e.atMs).toISOString(),
        generation: e.generation ?? null,
        weddings: e.weddings,
        freezeUntil: freeze.untilMs === null ? null : new Date(freeze.untilMs).toISOString(),
      },
    );
  }
  return { conditions, memory: next, undetermined };
}

/** The definition a condition came from (for its alert name and subject type). */
export const definitionOf = (c: Pick<CriticalCondition, 'kind'>) => PAGE_DEFINITIONS[c.kind];

function short(s: string | null): string {
  return (s ?? 'unknown error').slice(0, 200);
}

function formatRatio(r: number): string {
  return Number.isFinite(r) ? `${Math.round(r * 100)} %` : 'no ready pods';
}
