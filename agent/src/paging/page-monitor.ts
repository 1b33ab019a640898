/**
 * Evaluates the page-worthy conditions once per tick and keeps the result in the state, where
 * /metrics reads it (`wedsync_agent_page_condition`) and the PagerDuty sink pages from it. Holds the one
 * memory of when each fault started, restored at boot from the PagerDuty sink's stored pages.
 */
import type { AgentState } from '../state';
import { evaluateConditions, type ConditionMemory, type ConditionOptions, type CriticalCondition } from './conditions';
import { PAGING_DEFAULTS, type PagingConfig } from '../config/paging-config';

/** The evaluator's options from the `paging` section (the same for /metrics and the PagerDuty sink). */
export function conditionOptions(cluster: string, cfg: PagingConfig = PAGING_DEFAULTS): ConditionOptions {
  return {
    cluster,
    overloadUtilization: cfg.overloadUtilization,
    overloadedAfterMs: cfg.overloadedAfterSeconds * 1000,
    scaleBlockedAfterMs: cfg.scaleBlockedAfterSeconds * 1000,
    unreachableAfterMs: cfg.unreachableAfterSeconds * 1000,
    peerLostAfterMs: cfg.peerLostAfterSeconds * 1000,
  };
}

export class PageMonitor {
  private memory: ConditionMemory = {};
  private undeterminedKeys: readonly string[] = [];

  constructor(private readonly opts: ConditionOptions) {}

  /** When each fault started, as the last evaluation left it (kept across restarts with the open pages). */
  get conditionMemory(): ConditionMemory {
    return this.memory;
  }

  /**
   * Before the first evaluation: when each fault started, as an earlier run left it, so a condition that
   * needs a duration is not re-timed from zero after a restart (and /metrics shows at once what PagerDuty
   * still holds open). What this run already saw wins.
   */
  restore(memory: ConditionMemory): void {
    this.memory = { ...memory, ...this.memory };
  }

  /** The dedup keys the last evaluation could not judge (no real observation yet): their pages stay as they are. */
  get undetermined(): readonly string[] {
    return this.undeterminedKeys;
  }

  /** After each tick: what holds past its duration now. */
  update(state: AgentState, nowMs: number): readonly CriticalCondition[] {
    const { conditions, memory, undetermined } = evaluateConditions(state, this.opts, nowMs, this.memory);
    this.memory = memory;
    this.undeterminedKeys = undetermined;
    state.pageConditions = conditions;
    return conditions;
  }
}
