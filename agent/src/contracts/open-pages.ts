/**
 * What a PagerDuty sink keeps across restarts: the pages PagerDuty holds open (trigger delivered, resolve
 * not yet) and the conditions' memory (when each fault started, so a condition that needs two minutes
 * is not re-timed from zero by a restart). The agent backs this with its durable state
 * (durable/durable-state-store.ts); without one, nothing is kept.
 */

/** A page PagerDuty holds open. The condition's fields as they were when its trigger was delivered. */
export interface OpenPage {
  dedupKey: string;
  kind: string;
  severity: string;
  summary: string;
  targets: string[];
  details: Record<string, unknown>;
  /** When the trigger was delivered. */
  openedAtMs: number;
}

export interface PageSnapshot {
  open: OpenPage[];
  /** The paging conditions' memory (conditions.ts ConditionMemory): fault → first seen (ms). */
  memory: Record<string, number>;
}

export interface OpenPagesStore {
  /** What was open when the agent last ran (empty on a first start). */
  load(): Promise<PageSnapshot>;
  /** Keeps this snapshot; resolves once it is stored (callers need not wait). */
  save(snapshot: PageSnapshot): Promise<void>;
}

/** No durable state configured: nothing is loaded, nothing kept. */
export const MEMORY_ONLY_PAGES: OpenPagesStore = {
  load: () => Promise.resolve({ open: [], memory: {} }),
  save: () => Promise.resolve(),
};
