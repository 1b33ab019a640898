/**
 * The agent's state: what the loop learned and decided. The loop writes it; /metrics, the API and the
 * sinks read it. Operator overrides are the one input kept here, because the API sets them and the
 * loop's planner applies them (the API never talks to Kubernetes itself).
 */
import type { TargetConfig } from './config/schema';
import type { CalendarIndex } from './calendar/rules';
import type { CalendarSourceStatus } from './calendar/calendar-source';
import type { AnomalyKind, AnomalyResult } from './detect/detector';
import type { Forecast, ForecastPoint } from './forecast/forecaster';
import type { Decision, Override, PlanMemory } from './plan/types';
import { EMPTY_MEMORY } from './plan/types';
import { activeOverrides } from './plan/overrides';
import type { WorkloadState } from './scale/scaler';
import { BoundedList } from './util/bounded-list';

export interface TargetState {
  config: TargetConfig;
  /** Last good reading. */
  observed: { value: number; atMs: number } | null;
  /** True when the last read failed or the last good reading is too old to trust. */
  stale: boolean;
  lastReadError: string | null;
  forecast: Forecast | null;
  workload: WorkloadState | null;
  decision: Decision | null;
  memory: PlanMemory;
  anomaly: AnomalyResult;
  expectedWeddingLoad: number;
  liveWeddings: number;
  peakSeason: boolean;
  lastScaleError: string | null;
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

export interface AgentInfo {
  version: string;
  cluster: string;
  mode: 'act' | 'dry-run' | 'shadow';
  leader: boolean;
  startedAtMs: number;
  lastTickMs: number | null;
  lastTickDurationMs: number | null;
  ticks: number;
  ready: boolean;
}

export class AgentState {
  readonly targets = new Map<string, TargetState>();
  readonly decisions = new BoundedList<Decision>(1000);
  readonly anomalies = new BoundedList<AnomalyEvent>(500);
  readonly audit = new BoundedList<AuditEntry>(1000);
  overrides: Override[] = [];
  calendarSources: CalendarSourceStatus[] = [];

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
        forecast: null,
        workload: null,
        decision: null,
        memory: EMPTY_MEMORY,
        anomaly: { score: 0, kind: 'none' },
        expectedWeddingLoad: 0,
        liveWeddings: 0,
        peakSeason: false,
        lastScaleError: null,
      });
    }
  }

  /** Overrides that are still in force at `nowMs`; expired ones vanish by themselves. */
  activeOverrides(nowMs: number, targetId?: string): Override[] {
    return activeOverrides(this.overrides, targetId, nowMs);
  }
}
