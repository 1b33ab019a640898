/**
 * The deploy freeze across the agent's targets, read from each target's stored view (never the calendar
 * again): what GET /deploy-freeze answers, what the admission ConfigMap carries and what freeze-check
 * prints. Pure: state in, summary out.
 */
import type { LiveWedding } from '../calendar/rules';
import type { AgentState, BreakGlassEvent, TargetState } from '../state';

export interface TargetFreeze {
  id: string;
  kubernetes: { kind: string; namespace: string; name: string };
  /** When the agent last evaluated this target (null before its first tick: the freeze is unknown). */
  evaluatedAtMs: number | null;
  frozen: boolean;
  sinceMs: number | null;
  untilMs: number | null;
  weddings: LiveWedding[];
  /** Why, in one line (empty when not frozen). */
  reason: string;
  /** The latest break glass seen on this target, if any. */
  lastBreakGlass: BreakGlassEvent | null;
}

export interface FreezeSummary {
  frozen: boolean;
  sinceMs: number | null;
  untilMs: number | null;
  targets: TargetFreeze[];
  /** One line per frozen target. */
  reasons: string[];
}

export function freezeReason(id: string, weddings: readonly LiveWedding[], untilMs: number | null): string {
  const names = weddings.map((l) => `${l.day.wedding.title} (${l.day.wedding.id}, ${l.day.localDate} ${l.day.wedding.timezone}, ${l.phase})`).join('; ');
  const until = untilMs === null ? '' : ` until ${new Date(untilMs).toISOString()}`;
  return `${id}: ${weddings.length} wedding(s) live on a protected day${until}: ${names}`;
}

export function targetFreeze(t: TargetState, breakGlass: readonly BreakGlassEvent[]): TargetFreeze {
  const f = t.view?.calendar.freeze;
  const k = t.config.kubernetes;
  const last = [...breakGlass].reverse().find((b) => b.targetId === t.config.id) ?? null;
  return {
    id: t.config.id,
    kubernetes: { kind: k.kind, namespace: k.namespace, name: k.name },
    evaluatedAtMs: t.view?.atMs ?? null,
    frozen: f?.frozen ?? false,
    sinceMs: f?.sinceMs ?? null,
    untilMs: f?.untilMs ?? null,
    weddings: f?.weddings ?? [],
    reason: f?.frozen ? freezeReason(t.config.id, f.weddings, f.untilMs) : '',
    lastBreakGlass: last,
  };
}

export function freezeSummary(state: AgentState, only?: readonly string[]): FreezeSummary {
  const breakGlass = state.breakGlass.toArray();
  const targets = [...state.targets.values()].filter((t) => !only || only.includes(t.config.id)).map((t) => targetFreeze(t, breakGlass));
  const frozen = targets.filter((t) => t.frozen);
  return {
    frozen: frozen.length > 0,
    sinceMs: frozen.length ? Math.min(...frozen.map((t) => t.sinceMs!)) : null,
    untilMs: frozen.length ? Math.max(...frozen.map((t) => t.untilMs!)) : null,
    targets,
    reasons: frozen.map((t) => t.reason),
  };
}
