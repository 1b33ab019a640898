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
 * Whether a reason counts, by the admission policy's own test (`reason.matches('\\S')`: RE2's \S is anything
 * but the ASCII blanks \t \n \f \r and space). The agent and the policy must agree on what is break glass:
 * JavaScript's trim() also strips other blanks (U+00A0, U+2003, …), so a reason of those would pass the
 * policy yet go unrecorded here.
 */
const POLICY_NON_BLANK = /[^\t\n\f\r ]/;

/**
 * `lastSeen`: the annotation's value on the previous read, exactly as stored (null: none), or undefined
 * before the first read since start — that read is the baseline, so a restart does not page again for
 * an old emergency. Values are compared as stored, as the policy compares them: the old reason with a
 * blank added is a new value the policy admits as break glass, so it is one here too.
 */
export function detectBreakGlass(lastSeen: string | null | undefined, w: WorkloadAnnotations, t: TargetState, nowMs: number): BreakGlassEvent | null {
  const value = w.annotations[BREAK_GLASS_ANNOTATION] ?? '';
  if (lastSeen === undefined || !POLICY_NON_BLANK.test(value) || value === lastSeen) return null;
  const freeze = t.view?.calendar.freeze;
  return {
    targetId: t.config.id,
    atMs: nowMs,
    by: w.annotationManagers?.[BREAK_GLASS_ANNOTATION] ?? 'unknown',
    reason: value.trim() || value,
    ...(w.generation !== undefined ? { generation: w.generation } : {}),
    duringFreeze: freeze?.frozen ?? false,
    weddings: (freeze?.weddings ?? []).map((l) => l.day.wedding.id),
  };
}
