/**
 * The agent's state: what the loop learned and decided. The loop writes it; /metrics, the API and the
 * sinks read it. Operator overrides are the one input kept here, because the API sets them and the
 * loop's planner applies them (the API never talks to Kubernetes itself).
 */
import type { Provider, TargetConfig } from './config/schema';
import type { CalendarIndex } from './calendar/rules';
import type { CalendarSourceStatus } from './contracts/calendar-source-status';
import type { TargetCalendar } from './calendar/target-calendar';
import type { AnomalyKind, AnomalyResult } from './detect/detector';
import type { Forecast, ForecastPoint } from './forecast/forecaster';
import type { Decision, Override } from './plan/types';
import { activeOverrides } from './plan/overrides';
import type { WorkloadState } from './contracts/scaler';
import { BoundedList } from './util/bounded-list';
import type { CriticalCondition } from './contracts/page-condition';
import type { FleetStatus } from './contracts/fleet-status';
import type { ReplicaPrice } from './plan/price';

/**
 * One target's view of the world at one tick, computed once by its pipeline: the planner decides on it,
 * and /metrics, GET /status and the paging conditions read it back instead of asking again.
 */
export interface TargetView {
  atMs: number;
  /** The load the planner may trust: the last good reading while fresh, else null (never read as zero). */
  load: number | null;
  /** Why this tick's read failed, or null when it succeeded. */
  readError: string | null;
  calendar: TargetCalendar;
  /** This target's operator overrides in force at `atMs`. */
  overrides: Override[];
}

export interface TargetState {
  config: TargetConfig;
  /** Last good reading. */
  observed: { value: number; atMs: number } | null;
  /** True when the last read failed or the last good reading is too old to trust. */
  stale: boolean;
  lastReadError: string | null;
  /** What the last tick knew (null before the first tick). */
  view: TargetView | null;
  forecast: Forecast | null;
  workload: WorkloadState | null;
  decision: Decision | null;
  anomaly: AnomalyResult;
  lastScaleError: string | null;
  /** What a replica-hour costs and what the running replicas cost per hour (null before the first workload read). */
  cost: TargetCost | null;
}

export interface TargetCost extends ReplicaPrice {
  /** perReplicaHour × the replicas the workload runs; null when the price is unknown (never 0 for unknown). */
  perHour: number | null;
}

/**
 * The forecast one pod start-up after the last tick: what the planner leans on. /metrics and
 * GET /status both show this point, so they always agree.
 */
export function forecastAtLead(t: TargetState, lastTickMs: number | null): ForecastPoint | undefined {
  const pts = t.forecast?.points;
  if (!pts?.length || lastTickMs === null) return undefined;
  const at = lastTickMs + t.config.podStartupSeconds * 1000;
  return pts.find((p) => p.tMs >= at) ?? pts[pts.length - 1];
}

export interface AnomalyEvent {
  targetId: string;
  series: string;
  atMs: number;
  value: number;
  score: number;
  kind: AnomalyKind;
}

export interface AuditEntry {
  atMs: number;
  actor: string;
  role: string;
  action: string;
  targetId?: string;
  detail: Record<string, unknown>;
}

/** A change let through a deploy freeze by the `wedsync.io/emergency-change` annotation, as the agent saw it. */
export interface BreakGlassEvent {
  targetId: string;
  /** When the agent saw the annotation (its clock). */
  atMs: number;
  /** Who changed the workload, as far as the object tells (managedFields manager), or "unknown". */
  by: string;
  reason: string;
  /** metadata.generation after the change, when known. */
  generation?: number;
  /** True when the target was frozen then (a wedding day): that pages. */
  duringFreeze: boolean;
  /** Ids of the weddings live then. */
  weddings: string[];
}

export interface AgentInfo {
  version: string;
  cluster: string;
  /** Cloud and region (identity/): config, else detected from the nodes at start; absent = other/unknown. */
  provider?: Provider;
  region?: string;
  mode: 'act' | 'dry-run' | 'shadow';
  leader: boolean;
  startedAtMs: number;
  lastTickMs: number | null;
  lastTickDurationMs: number | null;
  ticks: number;
  ready: boolean;
  /** Whether the API server answers the agent's calls (scale/kubernetes/connectivity.ts); absent without a cluster. */
  kubernetes?: KubernetesStatus;
  /** How the targets' load and the prices are shown (agent.loadUnit, pricing.currency); absent = reqps, USD. */
  loadUnit?: string;
  currency?: string;
}

/** One line for /readyz: "connected", or what is wrong and since when. */
export function describeKubernetes(s: KubernetesStatus): string {
  return s.state === 'connected' ? 'connected' : `${s.state} since ${new Date(s.sinceMs).toISOString()}${s.error ? `: ${s.error}` : ''}`;
}

export interface KubernetesStatus {
  state: 'connected' | 'unreachable' | 'throttled';
  /** When this state began. */
  sinceMs: number;
  error: string | null;
}

export class AgentState {
  readonly targets = new Map<string, TargetState>();
  readonly decisions = new BoundedList<Decision>(1000);
  readonly anomalies = new BoundedList<AnomalyEvent>(500);
  readonly audit = new BoundedList<AuditEntry>(1000);
  readonly breakGlass = new BoundedList<BreakGlassEvent>(200);
  /** Operator overrides. Written only by the methods below: every change to the list is made here. */
  #overrides: readonly Override[] = [];
  /** Page-worthy conditions holding past their duration after the last tick (paging/page-monitor.ts). */
  pageConditions: readonly CriticalCondition[] = [];
  calendarSources: CalendarSourceStatus[] = [];
  /** The peers as the fleet source last saw them (fleet/); null when fleet.peers is not set. */
  fleet: FleetStatus | null = null;

  constructor(
    readonly info: AgentInfo,
    targets: TargetConfig[],
    public calendar: CalendarIndex,
  ) {
    for (const config of targets) {
      this.targets.set(config.id, {
        config,
        observed: null,
        stale: true,
        lastReadError: 'not read yet',
        view: null,
        forecast: null,
        workload: null,
        decision: null,
        anomaly: { score: 0, kind: 'none' },
        lastScaleError: null,
        cost: null,
      });
    }
  }

  get overrides(): readonly Override[] {
    return this.#overrides;
  }

  /** Overrides that are still in force at `nowMs`; expired ones vanish by themselves. */
  activeOverrides(nowMs: number, targetId?: string): Override[] {
    return activeOverrides(this.#overrides, targetId, nowMs);
  }

  /** An operator's new override. Expired ones are dropped on the way, so the list stays small. */
  addOverride(override: Override, nowMs: number): void {
    this.#overrides = [...this.activeOverrides(nowMs), override];
  }

  /** Removes an override; false when there was none with this id. */
  removeOverride(id: string): boolean {
    const kept = this.#overrides.filter((o) => o.id !== id);
    if (kept.length === this.#overrides.length) return false;
    this.#overrides = kept;
    return true;
  }

  /** Overrides found elsewhere (an older version's annotation): those not known yet are added. */
  importOverrides(found: readonly Override[]): void {
    const known = new Set(this.#overrides.map((o) => o.id));
    this.#overrides = [...this.#overrides, ...found.filter((o) => !known.has(o.id))];
  }

  /**
   * The stored overrides become this replica's, except edits made while the durable round talked to the
   * store (`startLocal` is the list as that round began): those stay, and are stored next round.
   */
  adoptStoredOverrides(startLocal: readonly Override[], stored: readonly Override[]): void {
    const startIds = new Set(startLocal.map((o) => o.id));
    const fresh = this.#overrides;
    const freshIds = new Set(fresh.map((o) => o.id));
    const late = fresh.filter((o) => !startIds.has(o.id));
    const removedLate = (o: Override) => startIds.has(o.id) && !freshIds.has(o.id);
    this.#overrides = [...stored.filter((o) => !removedLate(o)), ...late];
  }
}
