/** What the planner reads and what it answers. Plain data: no clocks, no I/O. */
import type { TargetConfig } from '../config/schema';
import type { TargetCalendar } from '../calendar/target-calendar';
import type { ForecastPoint } from '../forecast/forecaster';
import type { AnomalyResult } from '../detect/detector';

export type OverrideType = 'pin' | 'floor' | 'freeze';

/** An operator's instruction, set through the API and applied by the planner until it expires. */
export interface Override {
  id: string;
  targetId: string;
  type: OverrideType;
  /** Replicas for pin and floor. */
  replicas?: number;
  /** Expiry instant (ms); "until this wedding ends" is resolved to an instant when the override is set. */
  untilMs: number;
  untilWeddingEnds: boolean;
  reason: string;
  author: string;
  createdAtMs: number;
}

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

/** Why a number was chosen: each rule that shaped the decision says what it did. */
export interface Reason {
  rule: string;
  replicas: number;
  detail: string;
}

export interface Decision {
  targetId: string;
  atMs: number;
  currentReplicas: number;
  desiredReplicas: number;
  reasons: Reason[];
  protections: ProtectionKind[];
  /** Deploys should wait: weddings this target serves are live on a protected day. */
  deployFreeze: boolean;
  /** Load was missing or stale and the planner held instead of trusting it. */
  holding: boolean;
}

/** An unannounced surge in progress (see surge.ts). */
export interface SurgeState {
  sinceMs: number;
  /** Highest demand the rule extrapolated, and the highest load seen since the onset. */
  peakExpected: number;
  peakObserved?: number;
  /** When the load last rose: the hold ends one start-up after it. */
  lastRiseMs?: number;
}

/** What the planner remembers between ticks (returned, never mutated). Its instants are monotonic (PlanInput.monoMs). */
export interface PlanMemory {
  /** Recent raw recommendations, for scale-down stabilisation. */
  recommendations: Array<{ tMs: number; replicas: number }>;
  /** Last decision made on good data: what a stale tick holds. */
  lastGood: number | null;
  /** Last instant a protecting wedding window was live for this target (drives the gradual ramp-down). */
  lastProtectedMs: number | null;
  /** Replicas running at that instant: the ramp-down is measured from them. */
  protectedReplicas?: number | null;
  /** Recent good readings (a few start-ups long): the slope an unannounced surge is extrapolated from. */
  recentLoad?: Array<{ tMs: number; value: number }>;
  /** An unannounced surge that was signalled and has not passed yet. */
  surge?: SurgeState | null;
  /** When the previous decision was made (the ramp-down's "per minute" is measured against it). */
  lastTickMs?: number | null;
  /** What this tick's forecast said about the next two minutes: a big miss there is a surge nobody announced. */
  forecastSoon?: Array<{ tMs: number; value: number }>;
  /** Highest demand-backed count of the protecting window in progress (what Saturday protection holds). */
  protectedPeak?: number | null;
  /** How far the load has recently risen within one start-up (burst-headroom.ts). */
  burst?: BurstState | null;
  /** A peer cluster's failover floor in force or being released (peer-failover.ts). */
  peerFailover?: PeerFailoverMemory | null;
}

export const EMPTY_MEMORY: PlanMemory = {
  recommendations: [],
  lastGood: null,
  lastProtectedMs: null,
  recentLoad: [],
  surge: null,
  lastTickMs: null,
  protectedPeak: null,
  forecastSoon: [],
  protectedReplicas: null,
};

export interface PlanInput {
  target: TargetConfig;
  currentReplicas: number;
  /** Observed load, or null when the source failed or the reading is stale: never read as zero. */
  observed: number | null;
  /**
   * This tick's read failed, and `observed` is the last good reading (still within the staleness bound):
   * it may justify adding capacity, never removing it.
   */
  readFailed?: boolean;
  forecast: ForecastPoint[];
  /** What the calendar says about this target now (asked once per tick, by the pipeline). */
  calendar: TargetCalendar;
  /** This target's overrides in force now (the pipeline's view has already dropped expired ones). */
  overrides: Override[];
  memory: PlanMemory;
  /** The detector's verdict on this tick's reading; its onset signal arms the surge rule. Absent = no signal. */
  anomaly?: AnomalyResult;
  /** Pod start-up measured from the cluster (replica increase → ready), when known; else the configured one. */
  measuredStartupSeconds?: number;
  /**
   * This tick's monotonic instant (util/clock.ts), on the timescale of the memory's own instants: every
   * elapsed-time rule (stabilisation window, step limits, post-wedding ramp-down, surge and burst memory)
   * measures with it, so a wall-clock step neither widens a step nor stretches a window. Absent: `now`
   * (a simulated clock, as in replay, is its own monotonic time).
   */
  monoMs?: number;
  /** Peer clusters sharing this one's traffic, when fleet.peers is set (peer-failover.ts). */
  fleet?: FleetInput;
  /** What one replica-hour costs (pricing room, passed in by the pipeline); absent when unknown. */
  price?: { perReplicaHour: number; currency: string };
}

export interface PlanResult {
  decision: Decision;
  memory: PlanMemory;
}

export interface BurstState {
  /** Readings of the last start-up: the rise after each is known once a start-up has passed. */
  pending: Array<{ tMs: number; value: number }>;
  /** Decayed weight (in minutes of readings) of each histogram bin (BURST_BIN_EDGES). */
  weights: number[];
  /** Instant the weights were last decayed to. */
  atMs: number;
}

/** What the planner needs from the fleet status (built by the pipeline from state.fleet). */
export interface FleetInput {
  dataOk: boolean;
  /** Why the fleet data is missing (shown in the hold's reason). */
  error: string | null;
  selfShare: number;
  peers: ReadonlyArray<{ cluster: string; share: number; lost: boolean }>;
  releaseSeconds: number;
}

/** Remembered between ticks while a failover floor is in force or being released. */
export interface PeerFailoverMemory {
  /** The load the floor is computed from: the last good reading when the first peer was lost. */
  baseLoad: number;
  /** Peers lost (or, while releasing, lost last). */
  lost: string[];
  /** The floor applied on the last tick. */
  floor: number;
  /** Release in progress: when it started and from which floor. */
  releaseStartMs: number | null;
  releaseFrom: number | null;
}
