/**
 * Keeps a PagerDuty sink's open pages in its OpenPagesStore. What counts as open is what PagerDuty was
 * told: a trigger counts once it is delivered, and stops counting once its resolve is delivered. So a
 * crash between evaluating and delivering loses nothing: a trigger never delivered is sent again after
 * the restart (its condition still holds, and it was never stored as open), and a resolve never
 * delivered is sent after the restart (the page is still stored as open and its condition has cleared).
 */
import type { CriticalCondition } from '../../paging/conditions';
import type { OpenPage, OpenPagesStore, PageSnapshot } from '../../contracts/open-pages';
import type { PageEvent, PageTracker } from './page-tracker';

export class PagePersistence {
  private readonly open = new Map<string, OpenPage>();
  private lastSaved = '';

  constructor(
    private readonly store: OpenPagesStore,
    private readonly tracker: PageTracker,
  ) {}

  /** Before the first evaluation: hands the tracker what PagerDuty holds open. */
  async restore(): Promise<void> {
    const snap = await this.store.load();
    this.tracker.restore(snap.open, snap.memory);
    for (const p of snap.open) this.open.set(p.dedupKey, p);
    this.lastSaved = JSON.stringify(snap);
  }

  /** After an evaluation: the conditions' memory may have moved (a fault started or cleared). */
  afterEvaluation(): void {
    this.save();
  }

  /**
   * A replica that just became leader takes over the pages its predecessor delivered (the tracker's open
   * conditions, judged while it stood by): they count as open here too, so this replica's resolve closes
   * them in the shared store.
   */
  adopt(open: readonly CriticalCondition[], atMs: number): void {
    let changed = false;
    for (const c of open) {
      if (this.open.has(c.dedupKey)) continue;
      this.open.set(c.dedupKey, {
        dedupKey: c.dedupKey,
        kind: c.kind,
        severity: c.severity,
        summary: c.summary,
        targets: c.targets,
        details: c.details,
        openedAtMs: atMs,
      });
      changed = true;
    }
    if (changed) this.save();
  }

  /** After a delivery: triggers open pages, resolves close them. */
  onDelivered(batch: readonly PageEvent[]): void {
    for (const e of batch) {
      if (e.action === 'trigger') {
        const c = e.condition;
        this.open.set(e.dedupKey, {
          dedupKey: c.dedupKey,
          kind: c.kind,
          severity: c.severity,
          summary: c.summary,
          targets: c.targets,
          details: c.details,
          openedAtMs: e.atMs,
        });
      } else this.open.delete(e.dedupKey);
    }
    this.save();
  }

  private save(): void {
    const snap: PageSnapshot = { open: [...this.open.values()], memory: { ...this.tracker.conditionMemory } };
    const text = JSON.stringify(snap);
    if (text === this.lastSaved) return;
    this.lastSaved = text;
    void this.store.save(snap);
  }
}
