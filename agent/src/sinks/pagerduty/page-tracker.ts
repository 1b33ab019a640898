/**
 * Turns the page monitor's conditions (paging/page-monitor.ts: one evaluation per tick, one memory) into
 * page events: trigger when one appears (or its severity changes), resolve when it clears. Remembers what it has open, so a condition that stays true pages once, not every tick.
 * A restarted agent is handed what PagerDuty held open when it stopped (`restore`, from the agent's
 * durable state): a condition still true then stays quiet, and one that cleared while the agent was down
 * resolves at the first evaluation. Without durable state it starts with nothing open, and a condition
 * still true re-triggers the same dedup key, which PagerDuty folds into the open incident.
 */
import type { AgentState } from '../../state';
import type { ConditionKind, ConditionMemory, ConditionOptions, CriticalCondition, PageSeverity } from '../../paging/conditions';
import { PageMonitor } from '../../paging/page-monitor';
import type { OpenPage } from '../../contracts/open-pages';

export type PageEvent =
  | { action: 'trigger'; kind: ConditionKind; dedupKey: string; condition: CriticalCondition; atMs: number }
  | { action: 'resolve'; kind: ConditionKind; dedupKey: string; atMs: number };

export class PageTracker {
  private open = new Map<string, CriticalCondition>();

  /** `monitor`: the agent's page monitor, whose evaluation each tick this tracker reads; default, one of its own. */
  constructor(
    private readonly opts: ConditionOptions,
    private readonly monitor: PageMonitor = new PageMonitor(opts),
  ) {}

  /** Evaluates through this tracker's monitor, then diffs: for a tracker that owns its monitor (a sink built alone, tests). */
  next(state: AgentState, nowMs: number): PageEvent[] {
    return this.diff(this.monitor.update(state, nowMs), nowMs);
  }

  /**
   * Page events for the conditions the monitor evaluated: trigger what is new or changed severity, resolve
   * what cleared. Resolve only on a real observation: a condition the last evaluation could not judge
   * (a push source's first tick after a restart, say) keeps its page open.
   */
  diff(conditions: readonly CriticalCondition[], nowMs: number): PageEvent[] {
    const unknown = new Set(this.monitor.undetermined);
    const events: PageEvent[] = [];
    const seen = new Set<string>();
    for (const c of conditions) {
      seen.add(c.dedupKey);
      const before = this.open.get(c.dedupKey);
      if (!before || before.severity !== c.severity) events.push({ action: 'trigger', kind: c.kind, dedupKey: c.dedupKey, condition: c, atMs: nowMs });
      this.open.set(c.dedupKey, c);
    }
    for (const [key, c] of this.open) {
      if (seen.has(key) || unknown.has(key)) continue;
      events.push({ action: 'resolve', kind: c.kind, dedupKey: key, atMs: nowMs });
      this.open.delete(key);
    }
    return events;
  }

  get openConditions(): CriticalCondition[] {
    return [...this.open.values()];
  }

  /** When each fault started, as the last evaluation left it (kept across restarts with the open pages). */
  get conditionMemory(): ConditionMemory {
    return this.monitor.conditionMemory;
  }

  /**
   * Before the first evaluation: the pages PagerDuty holds open and the conditions' memory, as an earlier
   * run left them. The next evaluation resolves those whose condition has cleared and keeps quiet about
   * those still true (the memory keeps a condition that needs a duration from being re-timed from zero).
   */
  restore(pages: readonly OpenPage[], memory: ConditionMemory): void {
    for (const p of pages) {
      const kind = p.kind as ConditionKind;
      // The subject is the dedup key's tail (paging/definitions.ts dedupKey); severity says whether it paged as a wedding day.
      const prefix = `wedsync/${this.opts.cluster}/${kind}/`;
      const subject = p.dedupKey.startsWith(prefix) ? p.dedupKey.slice(prefix.length) : p.dedupKey.split('/').slice(3).join('/');
      const severity = p.severity as PageSeverity;
      this.open.set(p.dedupKey, {
        kind,
        subject,
        dedupKey: p.dedupKey,
        severity,
        weddingDay: severity !== 'warning',
        summary: p.summary,
        targets: [...p.targets],
        details: { ...p.details },
      });
    }
    this.monitor.restore(memory);
  }
}
