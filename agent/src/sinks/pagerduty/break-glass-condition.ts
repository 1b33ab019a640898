/**
 * Break glass on a wedding day pages, high urgency: someone changed a frozen workload with
 * `wedsync.io/emergency-change` while its protected weddings were live. One incident per change (the
 * workload's generation, the same on every replica, so PagerDuty folds the replicas' pages); it stays
 * open while that freeze holds, and resolves when the freeze ends. Pure, like the other conditions.
 */
import type { AgentState } from '../../state';
import type { CriticalCondition } from './conditions';

export const BREAK_GLASS_KIND = 'break-glass-during-freeze';

export function breakGlassConditions(state: AgentState, cluster: string, dedup: (subject: string) => string): CriticalCondition[] {
  const out: CriticalCondition[] = [];
  for (const e of state.breakGlass.toArray()) {
    if (!e.duringFreeze) continue;
    const freeze = state.targets.get(e.targetId)?.view?.calendar.freeze;
    // Only while the freeze it broke still holds.
    if (!freeze?.frozen || freeze.sinceMs === null || e.atMs < freeze.sinceMs) continue;
    const change = e.generation !== undefined ? `generation-${e.generation}` : `at-${e.atMs}`;
    out.push({
      kind: BREAK_GLASS_KIND,
      dedupKey: dedup(`${e.targetId}/${change}`),
      severity: 'critical',
      summary: `[${cluster}] break glass on ${e.targetId} during the deploy freeze: "${e.reason}" by ${e.by} (weddings live: ${e.weddings.join(', ')})`,
      targets: [e.targetId],
      details: { reason: e.reason, by: e.by, at: new Date(e.atMs).toISOString(), generation: e.generation ?? null, weddings: e.weddings, freezeUntil: freeze.untilMs === null ? null : new Date(freeze.untilMs).toISOString() },
    });
  }
  return out;
}
