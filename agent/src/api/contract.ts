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
  agent: { version: string; cluster: string; mode: string; leader: boolean; startedAt: string; lastTick: string | null; lastTickDurationMs: number | null; ticks: number; now: string };
  targets: TargetStatusDto[];
  sinks: SinkHealth[];
  calendar: CalendarSourceDto[];
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
 * many series.
 */
export interface IngestRejections {
  unwatched: number;
  future: number;
  out_of_order: number;
  negative: number;
  non_finite: number;
  series_limit: number;
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
