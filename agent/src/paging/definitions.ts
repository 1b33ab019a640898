/**
 * Every page-worthy condition, defined once: what it is about (its subject), when it holds, how long it
 * must hold, which alert rule pages on it and how severe it is. Pure data and pure functions.
 *
 * Both paging paths read these definitions and nothing else:
 *   - /metrics exports `wedsync_agent_page_condition{kind, subject, severity, wedding_day}` = 1 while a
 *     condition has held past its duration (paging/page-monitor.ts);
 *   - the alert rules (alert-rules/rules/wedsync-alerts.rules.yml) page on that series, one rule per kind;
 *   - the PagerDuty sink pages from the same evaluation (sinks/pagerduty/page-tracker.ts).
 * Alerts about the agent itself (down, unscraped, no leader, stalled) are not here and stay
 * Prometheus-only: an agent cannot page about its own death.
 */
import type { PagingConfig } from '../config/paging-config';
import type { ConditionKind, PageSeverity } from '../contracts/page-condition';

export type { ConditionKind, PageSeverity };

export interface PageDefinition {
  kind: ConditionKind;
  /** What one incident is about: a target, a load source, the whole cluster, or a peer cluster (fleet.peers). */
  subject: 'target' | 'source' | 'cluster' | 'peer' | 'change';
  /** The alert rule that pages on this kind through Alertmanager. */
  alert: string;
  /** When the condition holds, in words (README, runbook and the tests quote it). */
  holdsWhen: string;
  /** The `paging` key giving how long it must hold before it pages; null: an event, it pages at once. */
  duration: keyof Pick<PagingConfig, 'overloadedAfterSeconds' | 'scaleBlockedAfterSeconds' | 'unreachableAfterSeconds' | 'peerLostAfterSeconds'> | null;
}

export const PAGE_DEFINITIONS: Readonly<Record<ConditionKind, PageDefinition>> = {
  'pinned-at-max-overloaded': {
    kind: 'pinned-at-max-overloaded',
    subject: 'target',
    alert: 'WedSyncAtMaxReplicasOverloaded',
    holdsWhen: 'the workload runs maxReplicas (spec) and observed load ÷ ready capacity ≥ paging.overloadUtilization, on a fresh reading',
    duration: 'overloadedAfterSeconds',
  },
  'scale-blocked': {
    kind: 'scale-blocked',
    subject: 'target',
    alert: 'WedSyncScalingFailed',
    holdsWhen: "the leader's scale write failed this tick (RBAC 403, admission, conflict) and the workload is not where the planner wants it",
    duration: 'scaleBlockedAfterSeconds',
  },
  'kubernetes-unreachable': {
    kind: 'kubernetes-unreachable',
    subject: 'cluster',
    alert: 'WedSyncKubernetesUnreachable',
    holdsWhen: 'reading a workload fails (API server down, network, RBAC on reads), so the agent cannot decide; one incident for the cluster',
    duration: 'unreachableAfterSeconds',
  },
  'load-source-unreachable': {
    kind: 'load-source-unreachable',
    subject: 'source',
    alert: 'WedSyncMetricsStale',
    holdsWhen: 'a load source fails and the load of the targets reading it is stale (the planner holds); one incident per source',
    duration: 'unreachableAfterSeconds',
  },
  'peer-cluster-lost': {
    kind: 'peer-cluster-lost',
    subject: 'peer',
    alert: 'WedSyncPeerClusterLost',
    holdsWhen:
      "a cluster in fleet.peers stopped reporting to the global store (past fleet.staleAfterSeconds) or its served load collapsed while its weddings are live; never on the global store's own outage; one incident per lost peer",
    duration: 'peerLostAfterSeconds',
  },
  'break-glass-during-freeze': {
    kind: 'break-glass-during-freeze',
    subject: 'change',
    alert: 'WedSyncBreakGlass',
    holdsWhen:
      'a frozen target was changed with the wedsync.io/emergency-change annotation while its protected weddings were live; one incident per change (target/generation), open while that freeze holds',
    duration: null,
  },
};

export const CONDITION_KINDS = Object.keys(PAGE_DEFINITIONS) as ConditionKind[];

/**
 * Wedding-day urgency, the same for every kind: on a wedding day (a wedding live, Saturday protection or
 * a deploy freeze for a target involved) the page is high urgency — `critical` when a wedding-critical
 * target is involved, else `error`; on other days it is low urgency (`warning`).
 */
export function pageSeverity(weddingDay: boolean, weddingCritical: boolean): PageSeverity {
  if (!weddingDay) return 'warning';
  return weddingCritical ? 'critical' : 'error';
}

/** Stable across ticks and restarts: the same fault always maps to the same PagerDuty incident. */
export function dedupKey(cluster: string, kind: ConditionKind, subject: string): string {
  return `wedsync/${cluster}/${kind}/${subject}`.slice(0, 255);
}
