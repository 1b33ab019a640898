/**
 * What the tick stream adds to the last GET /status: pure, so that the panel's live view is tested
 * without a browser. Events replace the fields they carry; the observed loads they bring are kept as
 * points so the chart grows between dashboard refreshes.
 */
import type { DecisionDto, ProtectionKind, StatusDto } from '../types';
import type { Point } from './frames';
import { recordDecision } from './decisionLog';

export interface LoadEventDto {
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
export interface ProtectionsEventDto {
  target: string;
  at: string;
  protections: ProtectionKind[];
  deployFreeze: boolean;
}
export interface PageDto {
  kind: string;
  subject: string;
  severity: string;
  weddingDay: boolean;
  summary: string;
}
export interface SnapshotDto {
  at: string;
  tick: number;
  load: LoadEventDto[];
  decisions: DecisionDto[];
  protections: ProtectionsEventDto[];
  pages: PageDto[];
}

export interface LiveView {
  load: Record<string, LoadEventDto>;
  decisions: Record<string, DecisionDto>;
  /** Scale decisions seen per target, oldest first (data/decisionLog.ts): the chart's decision points. */
  decisionLog: Record<string, readonly DecisionDto[]>;
  protections: Record<string, ProtectionsEventDto>;
  pages: PageDto[] | null;
  /** Observed load per target from the stream, oldest first, at most MAX_LIVE_POINTS. */
  points: Record<string, Point[]>;
  /** Id of the last event applied, and when (browser clock, ms) it arrived. */
  lastEventId: number;
  lastEventAtMs: number | null;
}

export const MAX_LIVE_POINTS = 720;
export const EMPTY_LIVE: LiveView = { load: {}, decisions: {}, decisionLog: {}, protections: {}, pages: null, points: {}, lastEventId: 0, lastEventAtMs: null };

function addPoint(points: Record<string, Point[]>, e: LoadEventDto): Record<string, Point[]> {
  const t = Date.parse(e.at);
  if (e.observed === null || !Number.isFinite(t)) {
    return points;
  }
  const prev = points[e.target] ?? [];
  if (prev.length && prev[prev.length - 1].t >= t) {
    return points;
  }
  return { ...points, [e.target]: [...prev, { t, v: e.observed }].slice(-MAX_LIVE_POINTS) };
}

function logDecision(log: LiveView['decisionLog'], d: DecisionDto): LiveView['decisionLog'] {
  const before = log[d.target] ?? [];
  const after = recordDecision(before, d);
  return after === before ? log : { ...log, [d.target]: after };
}

/** One event applied to the live view. */
export function applyEvent(view: LiveView, type: string, data: unknown, id: number | null, receivedAtMs: number): LiveView {
  const next: LiveView = { ...view, lastEventId: id ?? view.lastEventId, lastEventAtMs: receivedAtMs };
  switch (type) {
    case 'snapshot': {
      const s = data as SnapshotDto | null;
      if (!s) {
        return next;
      }
      let points = view.points;
      for (const l of s.load) {
        points = addPoint(points, l);
      }
      return {
        ...next,
        load: Object.fromEntries(s.load.map((l) => [l.target, l])),
        decisions: Object.fromEntries(s.decisions.map((d) => [d.target, d])),
        decisionLog: s.decisions.reduce(logDecision, view.decisionLog),
        protections: Object.fromEntries(s.protections.map((p) => [p.target, p])),
        pages: s.pages,
        points,
      };
    }
    case 'load': {
      const l = data as LoadEventDto;
      return { ...next, load: { ...view.load, [l.target]: l }, points: addPoint(view.points, l) };
    }
    case 'decision': {
      const d = data as DecisionDto;
      return { ...next, decisions: { ...view.decisions, [d.target]: d }, decisionLog: logDecision(view.decisionLog, d) };
    }
    case 'protections': {
      const p = data as ProtectionsEventDto;
      return { ...next, protections: { ...view.protections, [p.target]: p } };
    }
    case 'pages':
      return { ...next, pages: (data as { pages: PageDto[] }).pages };
    default:
      return next;
  }
}

/** The status with the newer live facts laid over it (a fact older than the status is ignored). */
export function withLive(status: StatusDto | null, live: LiveView): StatusDto | null {
  if (!status) {
    return status;
  }
  const statusTick = Date.parse(status.agent.lastTick ?? '') || 0;
  const newer = (at: string | undefined) => at !== undefined && Date.parse(at) >= statusTick;
  return {
    ...status,
    targets: status.targets.map((t) => {
      const l = live.load[t.id];
      const d = live.decisions[t.id];
      const p = live.protections[t.id];
      let out = t;
      if (l && newer(l.at)) {
        out = {
          ...out,
          load: { ...out.load, observed: l.observed, observedAt: l.at, stale: l.stale, forecastAtLead: l.forecastAtLead },
          anomaly: { score: l.anomaly.score, kind: l.anomaly.kind as typeof t.anomaly.kind },
          replicas: { ...out.replicas, current: l.replicas.current, desired: l.replicas.desired },
        };
      }
      if (d && newer(d.at)) {
        out = { ...out, lastDecision: d };
      }
      if (p && newer(p.at)) {
        out = { ...out, protections: p.protections, deployFreeze: p.deployFreeze };
      }
      return out;
    }),
  };
}
