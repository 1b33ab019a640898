/**
 * Turns conditions into page events: trigger when one appears (or its severity changes), resolve when
 * it clears. Remembers what it has open, so a condition that stays true pages once, not every tick.
 * A restarted agent starts with nothing open; a condition still true then re-triggers the same
 * dedup key, which PagerDuty folds into the open incident.
 */
import type { AgentState } from '../../state';
import { evaluateConditions, type ConditionKind, type ConditionMemory, type ConditionOptions, type CriticalCondition } from '../../paging/conditions';

export type PageEvent =
  | { action: 'trigger'; kind: ConditionKind; dedupKey: string; condition: CriticalCondition; atMs: number }
  | { action: 'resolve'; kind: ConditionKind; dedupKey: string; atMs: number };

export class PageTracker {
  private open = new Map<string, CriticalCondition>();
  private memory: ConditionMemory = {};

  constructor(private readonly opts: ConditionOptions) {}

  next(state: AgentState, nowMs: number): PageEvent[] {
    const { conditions, memory } = evaluateConditions(state, this.opts, nowMs, this.memory);
    this.memory = memory;
    const events: PageEvent[] = [];
    const seen = new Set<string>();
    for (const c of conditions) {
      seen.add(c.dedupKey);
      const before = this.open.get(c.dedupKey);
      if (!before || before.severity !== c.severity) events.push({ action: 'trigger', kind: c.kind, dedupKey: c.dedupKey, condition: c, atMs: nowMs });
      this.open.set(c.dedupKey, c);
    }
    for (const [key, c] of this.open) {
      if (seen.has(key)) continue;
      events.push({ action: 'resolve', kind: c.kind, dedupKey: key, atMs: nowMs });
      this.open.delete(key);
    }
    return events;
  }

  get openConditions(): CriticalCondition[] {
    return [...this.open.values()];
  }
}
