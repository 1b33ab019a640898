/**
 * The operator API's response and request shapes (/api/v1). The Grafana panel and the OpenAPI document
 * follow these; change them here first. Instants are ISO-8601 strings in UTC on the wire.
 */
import type { AnomalyKind } from '../detect/detector';
import type { OverrideType, ProtectionKind, Reason } from '../plan/types';

export interface ApiError {
  error: string;
  /** For 400: one entry per bad field, e.g. { field: "replicas", reason: "must be an integer ≥ 0" }. */
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

/** POST /overrides (201, or 202 when not stored yet) and DELETE /overrides/{id} (200, or 202). */
export interface OverrideChangeDto extends OverrideDto {
  /** In the agent's stored state, so it survives a restart. */
  durable: boolean;
  /** Why not, when `durable` is false. */
  notDurable?: string;
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
  /** Why the last read or change of the workload failed (RBAC, missing object, conflict…), null when it worked. */
  scaleError: string | null;
  load: { observed: number | null; observedAt: string | null; stale: boolean; error: string | null; forecastAtLead: number | null; expectedWedding: number };
  capacityPerPod: number;
  targetUtilization: number;
  liveWeddings: number;
  peakSeason: boolean;
  protections: ProtectionKind[];
  deployFreeze: boolean;
  overrides: OverrideDto[];
  anomaly: { score: number; kind: AnomalyKind };
  lastDecision: DecisionDto | null;
  /** What the target costs; null before the first workload read. Unknown prices are null, never 0. */
  cost: CostDto | null;
}

/** GET /capacity-plan: what a window (the coming weekend by default) needs, per target and per node pool. */
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
    /** Grid points the projection could not fill (no history, no forecast). */
    missingPoints: number;
  }>;
  pools: Array<{ pool: string; peakNodes: number; at: string | null; targets: string[] }>;
  cost: { currency: string; window: number | null; peakPerHour: number | null; unknownTargets: string[] };
}

export interface CostDto {
  currency: string;
  /** Price of one replica-hour, null when unknown. */
  perReplicaHour: number | null;
  /** perReplicaHour × the replicas running now, null when unknown. */
  perHour: number | null;
  source: 'opencost' | 'table' | 'unknown';
  /** How it was computed, or why it is unknown. */
  detail: string;
}

/** One sink's health: what Sink.health() returns and GET /status shows, one shape under one name. */
export interface SinkHealth {
  name: string;
  type: string;
  /** False while the last delivery failed (backing off) — true again after the next success. */
  healthy: boolean;
  queueLength: number;
  dropped: number;
  lastError: string | null;
}

export interface StatusDto {
  agent: {
    version: string;
    cluster: string;
    provider: string;
    region: string;
    mode: string;
    leader: boolean;
    startedAt: string;
    lastTick: string | null;
    lastTickDurationMs: number | null;
    ticks: number;
    now: string;
    loadUnit: string;
    currency: string;
  };
  targets: TargetStatusDto[];
  sinks: SinkHealth[];
  calendar: CalendarSourceDto[];
  /** The peer clusters as this agent sees them (fleet.peers); null when it runs alone. */
  fleet: FleetStatusDto | null;
}

export interface FleetStatusDto {
  /** False while the global store cannot be trusted: the agent holds (no raise, no release, no scale-down). */
  dataOk: boolean;
  error: string | null;
  checkedAt: string | null;
  peers: Array<{ cluster: string; share: number; health: 'unknown' | 'up' | 'lost'; lastSeen: string | null; lostSince: string | null; reason: string }>;
}

/** A calendar update held back because it removes too many upcoming weddings (POST /calendar/confirm applies it). */
export interface HeldCalendarUpdateDto {
  fingerprint: string;
  upcomingBefore: number;
  upcomingAfter: number;
  weddings: number;
  since: string;
}

export interface CalendarSourceDto {
  location: string;
  ok: boolean;
  /** Weddings in the calendar in force for this source (after a restart, with an update held and nothing else in force: the held update's, used meanwhile). */
  weddings: number;
  lastSuccess: string | null;
  lastError: string | null;
  held: HeldCalendarUpdateDto | null;
  /** Events of the last read left out (unreadable) and read with a note (a default used, UTC assumed, a repeated id). */
  skippedEvents: number;
  notedEvents: number;
  /** The first of them, named. */
  issues: Array<{ event: number; id: string | null; problem: string; skipped: boolean }>;
}

/** POST /calendar/confirm body: the held update, named by its source and fingerprint. */
export interface CalendarConfirmRequest {
  source: string;
  fingerprint: string;
  reason: string;
}

/** POST /calendar/confirm answer: the update now in force. */
export interface CalendarConfirmResultDto extends HeldCalendarUpdateDto {
  source: string;
}

export interface ForecastDto {
  target: string;
  method: string;
  coldStart: boolean;
  points: ForecastPointDto[];
}

export interface AnomalyDto {
  target: string;
  series: string;
  at: string;
  value: number;
  score: number;
  kind: AnomalyKind;
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

export interface AuditDto {
  at: string;
  actor: string;
  role: string;
  action: string;
  target?: string;
  detail: Record<string, unknown>;
}

/** POST /ingest body. */
export interface IngestRequest {
  series: Array<{ name: string; labels?: Record<string, string>; points: Array<[number, number]> }>;
}

// List responses are objects (room to add fields later without breaking clients). Newest first.
export interface DecisionListDto {
  decisions: DecisionDto[];
}
export interface AnomalyListDto {
  anomalies: AnomalyDto[];
}
export interface OverrideListDto {
  overrides: OverrideDto[];
}
export interface AuditListDto {
  entries: AuditDto[];
}
/** GET /calendar: wedding days overlapping [from, to), in window-start order. */
export interface CalendarDto {
  from: string;
  to: string;
  windows: CalendarWindowDto[];
}
/**
 * Why ingested samples were not stored: `unwatched` no target reads the series; `future` timestamp
 * beyond the push source's allowed clock skew; `out_of_order` older than the series' latest point;
 * `negative` a negative load; `non_finite` not a finite number; `series_limit` the source holds too
 * many series; `implausible` above every watching target's maxReplicas × capacityPerPod × 100.
 */
export interface IngestRejections {
  unwatched: number;
  future: number;
  out_of_order: number;
  negative: number;
  non_finite: number;
  series_limit: number;
  implausible: number;
}
/** POST /ingest answer. */
export interface IngestResultDto {
  /** Samples stored. */
  accepted: number;
  /** Samples not stored, by reason (every reason is present, 0 when none). */
  rejected: IngestRejections;
  series: number;
}
/** POST /reload answer: what was applied live and what changed but needs a restart. */
export interface ReloadResultDto {
  applied: string[];
  restartNeeded: string[];
  /** Tokens accepted from now on (config + environment). */
  tokens: number;
}

/** A live wedding that freezes deploys of a target. */
export interface FreezeWeddingDto {
  id: string;
  title: string;
  timezone: string;
  /** Local date of this celebration day in the wedding's zone. */
  localDate: string;
  phase: string;
  /** The day's live window. */
  start: string;
  end: string;
}

/** A change let through a freeze by the `wedsync.io/emergency-change` annotation. */
export interface BreakGlassDto {
  at: string;
  by: string;
  reason: string;
  duringFreeze: boolean;
  weddings: string[];
}

export interface TargetFreezeDto {
  id: string;
  kubernetes: { kind: string; namespace: string; name: string };
  /** When the agent last evaluated the target; null before its first tick (the freeze is unknown). */
  evaluatedAt: string | null;
  frozen: boolean;
  since: string | null;
  until: string | null;
  weddings: FreezeWeddingDto[];
  lastBreakGlass: BreakGlassDto | null;
}

/** GET /deploy-freeze: may a deploy land now? `until` is when every frozen target thaws. */
export interface DeployFreezeDto {
  /** The agent's clock when it answered. */
  at: string;
  frozen: boolean;
  since: string | null;
  until: string | null;
  targets: TargetFreezeDto[];
  /** One line per frozen target, naming the live weddings. */
  reasons: string[];
}
