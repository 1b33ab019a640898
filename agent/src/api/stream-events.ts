/**
 * What GET /api/v1/stream sends after a tick, as pure functions of the state: each target's load,
 * decision and protections, and the open pages. Each fact is read from what the tick already stored
 * (the target's view, its decision, `state.pageConditions`), never evaluated again. `diffTick` keeps
 * only what changed since the last tick, so a quiet agent sends nothing but its heartbeat.
 */
import { forecastAtLead, type AgentState, type TargetState } from '../state';
import { decisionDto, iso } from './dto';
import type { DecisionDto } from './contract';
import type { ProtectionKind } from '../plan/types';

export type StreamEventType = 'load' | 'decision' | 'protections' | 'pages';

export interface LoadEvent {
  target: string;
  at: string;
  observed: number | null;
  stale: boolean;
  forecastAtLead: number | null;
  lower: number | null;
  upper: number | null;
  anomaly: { score: number; kind: string };
  replicas: { current: number | null; desired: number | null };
}

export interface ProtectionsEvent {
  target: string;
  at: string;
  protections: ProtectionKind[];
  deployFreeze: boolean;
}

export interface PagesEvent {
  at: string;
  pages: Array<{ kind: string; subject: string; severity: string; weddingDay: boolean; summary: string }>;
}

/** Everything the stream knows after one tick, keyed so that two ticks can be compared. */
export interface TickFacts {
  at: string;
  tick: number;
  load: Map<string, LoadEvent>;
  decision: Map<string, DecisionDto>;
  protections: Map<string, ProtectionsEvent>;
  pages: PagesEvent;
}

export interface StreamChange {
  type: StreamEventType;
  data: unknown;
}

function loadEvent(t: TargetState, state: AgentState, at: string): LoadEvent {
  const lead = forecastAtLead(t, state.info.lastTickMs);
  return {
    target: t.config.id,
    at,
    observed: t.observed?.value ?? null,
    stale: t.stale,
    forecastAtLead: lead?.value ?? null,
    lower: lead?.lower ?? null,
    upper: lead?.upper ?? null,
    anomaly: { score: t.anomaly.score, kind: t.anomaly.kind },
    replicas: { current: t.workload?.replicas ?? null, desired: t.decision?.desiredReplicas ?? null },
  };
}

/** The stream's view of the state as the last tick left it. */
export function tickFacts(state: AgentState): TickFacts {
  const at = iso(state.info.lastTickMs ?? 0);
  const facts: TickFacts = { at, tick: state.info.ticks, load: new Map(), decision: new Map(), protections: new Map(), pages: { at, pages: [] } };
  for (const t of state.targets.values()) {
    const id = t.config.id;
    facts.load.set(id, loadEvent(t, state, at));
    if (t.decision) facts.decision.set(id, decisionDto(t.decision));
    facts.protections.set(id, { target: id, at, protections: t.decision?.protections ?? [], deployFreeze: t.decision?.deployFreeze ?? false });
  }
  facts.pages.pages = state.pageConditions.map((c) => ({
    kind: c.kind,
    subject: c.subject,
    severity: c.severity,
    weddingDay: c.weddingDay,
    summary: c.summary,
  }));
  return facts;
}

/** Compares two events ignoring their instant: an unchanged value at a later tick is not a change. */
function sameExceptTime(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify({ ...(a as object), at: 0 }) === JSON.stringify({ ...(b as object), at: 0 });
}

/** What `next` changed since `prev` (everything when `prev` is null), in a stable order. */
export function diffTick(prev: TickFacts | null, next: TickFacts): StreamChange[] {
  const out: StreamChange[] = [];
  for (const type of ['load', 'decision', 'protections'] as const) {
    for (const [id, ev] of next[type]) {
      if (!prev || !sameExceptTime(prev[type].get(id), ev)) out.push({ type, data: ev });
    }
  }
  if (!prev || !sameExceptTime(prev.pages, next.pages)) out.push({ type: 'pages', data: next.pages });
  return out;
}

/** The whole current view, for a subscriber that connects (or reconnects beyond the replay buffer). */
export function snapshotOf(facts: TickFacts): {
  at: string;
  tick: number;
  load: LoadEvent[];
  decisions: DecisionDto[];
  protections: ProtectionsEvent[];
  pages: PagesEvent['pages'];
} {
  return {
    at: facts.at,
    tick: facts.tick,
    load: [...facts.load.values()],
    decisions: [...facts.decision.values()],
    protections: [...facts.protections.values()],
    pages: facts.pages.pages,
  };
}
