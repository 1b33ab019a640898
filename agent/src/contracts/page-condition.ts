/** A page-worthy condition as the page monitor evaluated it (paging/), kept in the state for /metrics and the PagerDuty sink: types only. */
export type ConditionKind =
  'pinned-at-max-overloaded' | 'scale-blocked' | 'kubernetes-unreachable' | 'load-source-unreachable' | 'peer-cluster-lost' | 'break-glass-during-freeze';

/** PagerDuty event severities; with "urgency based on severity", critical/error are high urgency, warning/info low. */
export type PageSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface CriticalCondition {
  kind: ConditionKind;
  /** Target id, load source name, or "cluster" (PAGE_DEFINITIONS[kind].subject says which). */
  subject: string;
  /** Stable across ticks and restarts: the same fault always maps to the same PagerDuty incident. */
  dedupKey: string;
  severity: PageSeverity;
  /** A wedding is live, or Saturday protection / a deploy freeze holds, for a target involved. */
  weddingDay: boolean;
  summary: string;
  targets: string[];
  details: Record<string, unknown>;
}

/** When each underlying fault was first seen; faults that cleared are forgotten. */
export type ConditionMemory = Readonly<Record<string, number>>;
