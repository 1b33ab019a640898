/**
 * Panel options and the agent API shapes the panel reads. The API types are copied from
 * agent/src/api/contract.ts (the source of truth): the plugin is built and shipped on its own, so it
 * cannot import the agent's sources. Instants are ISO-8601 strings in UTC on the wire.
 */

/**
 * Saved with the dashboard. No agent URL or token here: the WedSync app holds them (its configuration
 * page; the token in Grafana's encrypted secureJsonData) and the panel reaches the agent through the app.
 */
export interface PanelOptions {
  /** Only show targets whose id is in this comma-separated list (empty: all). */
  targets: string;
  /** Anomaly score (0–1) at or above which a point of the observed load is marked. */
  anomalyThreshold: number;
  /** Hours of weddings shown on the timeline. */
  timelineHours: number;
  /** Hide the override controls (a read-only panel for wall displays). */
  readOnly: boolean;
  /** Follow the agent's tick stream (else: refresh with the dashboard only). */
  live: boolean;
}

export const DEFAULT_OPTIONS: PanelOptions = {
  targets: '',
  anomalyThreshold: 0.8,
  timelineHours: 48,
  readOnly: false,
  live: true,
};

export type OverrideType = 'pin' | 'floor' | 'freeze';

/** GET /capacity-plan (agent/src/api/contract.ts CapacityPlanDto): the coming weekend's pods, nodes and cost. */
export interface CapacityPlanDto {
  cluster: string;
  from: string;
  to: string;
  stepSeconds: number;
  targets: Array<{
    target: string;
    method: string;
    peak: { load: number; at: string } | null;
    pods: {
      peak: number;
      neededAt: string | null;
      requestBy: string | null;
      cappedAtMax: boolean;
      wantedAtPeak: number;
      steps: Array<{ from: string; to: string; pods: number }>;
    };
    nodes: { pool: string; podsPerNode: number; peak: number; allocatable: { cpu: number; memoryGiB: number } } | { pool: null; reason: string };
    cost: {
      currency: string;
      perReplicaHour: number | null;
      peakPerHour: number | null;
      replicaHours: number;
      window: number | null;
      source: 'opencost' | 'table' | 'unknown';
      detail: string;
    };
    missingPoints: number;
  }>;
  pools: Array<{ pool: string; peakNodes: number; at: string | null; targets: string[] }>;
  cost: { currency: string; window: number | null; peakPerHour: number | null; unknownTargets: string[] };
}

/** A target's cost (GET /status): unknown prices are null, never 0. */
export interface CostDto {
  currency: string;
  perReplicaHour: number | null;
  perHour: number | null;
  source: 'opencost' | 'table' | 'unknown';
  detail: string;
}
export type AnomalyKind = 'none' | 'spike' | 'dip' | 'level_shift' | 'missing_expected_load';
export type ProtectionKind =
  | 'saturday'
  | 'peak_season'
  | 'wedding_headroom'
  | 'post_wedding_rampdown'
  | 'override_pin'
  | 'override_floor'
  | 'override_freeze'
  | 'stale_data'
  | 'peer_failover'
  | 'fleet_data_missing';

export interface Reason {
  rule: string;
  replicas: number;
  detail: string;
}

export interface ApiError {
  error: string;
  details?: Array<{ field: string; reason: string }>;
}

export interface ForecastPointDto {
  t: string;
  value: number;
  lower: number;
  upper: number;
}

export interface OverrideDto {
  id: string;
  target: string;
  type: OverrideType;
  replicas?: number;
  until: string;
  untilWeddingEnds: boolean;
  reason: string;
  author: string;
  createdAt: string;
}

/** POST /overrides body: exactly one of `until` and `untilWeddingEnds: true`. */
export interface OverrideRequest {
  target: string;
  type: OverrideType;
  replicas?: number;
  until?: string;
  untilWeddingEnds?: boolean;
  reason: string;
}

export interface DecisionDto {
  target: string;
  at: string;
  currentReplicas: number;
  desiredReplicas: number;
  reasons: Reason[];
  protections: ProtectionKind[];
  deployFreeze: boolean;
  holding: boolean;
}

export interface TargetStatusDto {
  id: string;
  kubernetes: { kind: string; namespace: string; name: string };
  weddingCritical: boolean;
  replicas: { current: number | null; ready: number | null; desired: number | null; min: number; max: number };
  /** Why the last read or change of the workload failed; absent from agents older than 0.1.0. */
  scaleError?: string | null;
  load: {
    observed: number | null;
    observedAt: string | null;
    stale: boolean;
    error: string | null;
    forecastAtLead: number | null;
    expectedWedding: number;
  };
  capacityPerPod: number;
  targetUtilization: number;
  liveWeddings: number;
  peakSeason: boolean;
  protections: ProtectionKind[];
  deployFreeze: boolean;
  overrides: OverrideDto[];
  anomaly: { score: number; kind: AnomalyKind };
  lastDecision: DecisionDto | null;
  /** Absent from agents before cost was added. */
  cost?: CostDto | null;
}

export interface StatusDto {
  agent: {
    version: string;
    cluster: string;
    mode: string;
    leader: boolean;
    startedAt: string;
    lastTick: string | null;
    lastTickDurationMs: number | null;
    ticks: number;
    now: string;
    /** Grafana unit id of the targets' load (agent.loadUnit); absent from older agents. */
    loadUnit?: string;
    /** The currency of the agent's prices; absent from older agents. */
    currency?: string;
  };
  targets: TargetStatusDto[];
  sinks: Array<{ name: string; type: string; healthy: boolean; queueLength: number; dropped: number; lastError: string | null }>;
  calendar: Array<{ location: string; ok: boolean; weddings: number; lastSuccess: string | null; lastError: string | null }>;
}

export interface ForecastDto {
  target: string;
  method: string;
  coldStart: boolean;
  points: ForecastPointDto[];
}

export interface CalendarWindowDto {
  weddingId: string;
  title: string;
  timezone: string;
  day: number;
  localDate: string;
  start: string;
  end: string;
  saturdayProtection: boolean;
  guests: number;
  tradition: string;
}

/** A change let through a deploy freeze by the `wedsync.io/emergency-change` annotation (GET /deploy-freeze). */
export interface BreakGlassDto {
  at: string;
  by: string;
  reason: string;
  duringFreeze: boolean;
  weddings: string[];
}

/** One target's deploy freeze (GET /deploy-freeze; agents ≥ 0.1.0 with the freeze route). */
export interface TargetFreezeDto {
  id: string;
  kubernetes: { kind: string; namespace: string; name: string };
  evaluatedAt: string | null;
  frozen: boolean;
  since: string | null;
  until: string | null;
  weddings: Array<{ id: string; title: string; timezone: string; localDate: string; phase: string; start: string; end: string }>;
  lastBreakGlass: BreakGlassDto | null;
}

export interface DeployFreezeDto {
  at: string;
  frozen: boolean;
  since: string | null;
  until: string | null;
  targets: TargetFreezeDto[];
  reasons: string[];
}
