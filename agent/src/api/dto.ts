/** From the agent's state to the wire shapes of contract.ts (instants become ISO-8601 UTC strings). */
import type { SinkHealth } from './contract';
import type { Decision, Override } from '../plan/types';
import { forecastAtLead, type AgentState, type AnomalyEvent, type AuditEntry, type TargetState } from '../state';
import type { WeddingDay } from '../calendar/model';
import type { AnomalyDto, AuditDto, CalendarWindowDto, DecisionDto, HeldCalendarUpdateDto, OverrideDto, StatusDto, TargetStatusDto } from './contract';
import type { HeldCalendarUpdate } from '../contracts/calendar-source-status';

export const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : iso(ms));

export function overrideDto(o: Override): OverrideDto {
  return {
    id: o.id,
    target: o.targetId,
    type: o.type,
    ...(o.replicas !== undefined ? { replicas: o.replicas } : {}),
    until: iso(o.untilMs),
    untilWeddingEnds: o.untilWeddingEnds,
    reason: o.reason,
    author: o.author,
    createdAt: iso(o.createdAtMs),
  };
}

export function decisionDto(d: Decision): DecisionDto {
  return {
    target: d.targetId,
    at: iso(d.atMs),
    currentReplicas: d.currentReplicas,
    desiredReplicas: d.desiredReplicas,
    reasons: d.reasons,
    protections: d.protections,
    deployFreeze: d.deployFreeze,
    holding: d.holding,
  };
}

export function anomalyDto(a: AnomalyEvent): AnomalyDto {
  return { target: a.targetId, series: a.series, at: iso(a.atMs), value: a.value, score: a.score, kind: a.kind };
}

export function auditDto(a: AuditEntry): AuditDto {
  return { at: iso(a.atMs), actor: a.actor, role: a.role, action: a.action, ...(a.targetId ? { target: a.targetId } : {}), detail: a.detail };
}

export function calendarWindowDto(d: WeddingDay, protectedWeekdays: readonly number[]): CalendarWindowDto {
  return {
    weddingId: d.wedding.id,
    title: d.wedding.title,
    timezone: d.wedding.timezone,
    day: d.dayIndex,
    localDate: d.localDate,
    start: iso(d.windowStartMs),
    end: iso(d.windowEndMs),
    saturdayProtection: protectedWeekdays.includes(d.localWeekday),
    guests: d.wedding.guests,
    tradition: d.wedding.tradition,
  };
}

export function targetStatusDto(t: TargetState, state: AgentState, nowMs: number): TargetStatusDto {
  const c = t.config;
  return {
    id: c.id,
    kubernetes: { kind: c.kubernetes.kind, namespace: c.kubernetes.namespace, name: c.kubernetes.name },
    weddingCritical: c.weddingCritical,
    replicas: {
      current: t.workload?.replicas ?? null,
      ready: t.workload?.readyReplicas ?? null,
      desired: t.decision?.desiredReplicas ?? null,
      min: c.minReplicas,
      max: c.maxReplicas,
    },
    scaleError: t.lastScaleError,
    load: {
      observed: t.observed?.value ?? null,
      observedAt: isoOrNull(t.observed?.atMs),
      stale: t.stale,
      error: t.lastReadError,
      forecastAtLead: forecastAtLead(t, state.info.lastTickMs)?.value ?? null,
      expectedWedding: t.view?.calendar.expectedLoad ?? 0,
    },
    capacityPerPod: c.capacityPerPod,
    targetUtilization: c.targetUtilization,
    liveWeddings: t.view?.calendar.live.length ?? 0,
    peakSeason: t.view?.calendar.peakSeason ?? false,
    protections: t.decision?.protections ?? [],
    deployFreeze: t.decision?.deployFreeze ?? false,
    overrides: state.activeOverrides(nowMs, c.id).map(overrideDto),
    anomaly: { score: t.anomaly.score, kind: t.anomaly.kind },
    lastDecision: t.decision ? decisionDto(t.decision) : null,
    cost: t.cost
      ? { currency: t.cost.currency, perReplicaHour: t.cost.perReplicaHour, perHour: t.cost.perHour, source: t.cost.source, detail: t.cost.detail }
      : null,
  };
}

export function agentDto(i: AgentState['info'], nowMs: number): StatusDto['agent'] {
  return {
    version: i.version,
    cluster: i.cluster,
    provider: i.provider ?? 'other',
    region: i.region ?? 'unknown',
    mode: i.mode,
    leader: i.leader,
    startedAt: iso(i.startedAtMs),
    lastTick: isoOrNull(i.lastTickMs),
    lastTickDurationMs: i.lastTickDurationMs,
    ticks: i.ticks,
    now: iso(nowMs),
    loadUnit: i.loadUnit ?? 'reqps',
    currency: i.currency ?? 'USD',
  };
}

export function calendarSourcesDto(state: AgentState): StatusDto['calendar'] {
  return state.calendarSources.map((s) => ({
    location: s.location,
    ok: s.ok,
    weddings: s.weddings,
    lastSuccess: isoOrNull(s.lastSuccessMs),
    lastError: s.lastError,
    held: s.held && heldCalendarUpdateDto(s.held),
    skippedEvents: s.skippedEvents,
    notedEvents: s.notedEvents,
    issues: s.issues.map((i) => ({ ...i })),
  }));
}

export function heldCalendarUpdateDto(h: HeldCalendarUpdate): HeldCalendarUpdateDto {
  return { fingerprint: h.fingerprint, upcomingBefore: h.upcomingBefore, upcomingAfter: h.upcomingAfter, weddings: h.weddings, since: iso(h.sinceMs) };
}

export function fleetDto(state: AgentState): StatusDto['fleet'] {
  const f = state.fleet;
  if (!f) return null;
  const peers = f.peers.map((p) => ({
    cluster: p.cluster,
    share: p.share,
    health: p.health,
    lastSeen: isoOrNull(p.lastSeenMs),
    lostSince: isoOrNull(p.lostSinceMs),
    reason: p.reason,
  }));
  return { dataOk: f.dataOk, error: f.error, checkedAt: isoOrNull(f.checkedAtMs), peers };
}

export function statusDto(state: AgentState, nowMs: number, sinks: SinkHealth[]): StatusDto {
  return {
    agent: agentDto(state.info, nowMs),
    targets: [...state.targets.values()].map((t) => targetStatusDto(t, state, nowMs)),
    sinks,
    calendar: calendarSourcesDto(state),
    fleet: fleetDto(state),
  };
}
