/**
 * Break glass as the agent sees it: the `wedsync.io/emergency-change` annotation on a target workload
 * got a new, non-empty reason (the admission policy demands a new reason for each emergency change).
 * Pure: what the agent last saw, the workload now, the target's view; out comes an event or null.
 */
import type { BreakGlassEvent, TargetState } from '../state';

export const BREAK_GLASS_ANNOTATION = 'wedsync.io/emergency-change';

export interface WorkloadAnnotations {
  annotations: Record<string, string>;
  annotationManagers?: Record<string, string>;
  generation?: number;
}

/**
 * `lastSeen`: the reason seen on the previous read (null: none), or undefined before the first read since
 * start — that read is the baseline, so a restart does not page again for an old emergency.
 */
export function detectBreakGlass(lastSeen: string | null | undefined, w: WorkloadAnnotations, t: TargetState, nowMs: number): BreakGlassEvent | null {
  const reason = w.annotations[BREAK_GLASS_ANNOTATION]?.trim() ?? '';
  if (lastSeen === undefined || !reason || reason === (lastSeen ?? '').trim()) return null;
  const freeze = t.view?.calendar.freeze;
  return {
    targetId: t.config.id,
    atMs: nowMs,
    by: w.annotationManagers?.[BREAK_GLASS_ANNOTATION] ?? 'unknown',
    reason,
    ...(w.generation !== undefined ? { generation: w.generation } : {}),
    duringFreeze: freeze?.frozen ?? false,
    weddings: (freeze?.weddings ?? []).map((l) => l.day.wedding.id),
  };
}
