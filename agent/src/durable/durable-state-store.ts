/**
 * The agent's own state kept outside the process, in every mode (act, dry-run, shadow): operator
 * overrides, the recent audit trail, the pages PagerDuty holds open, and the calendar store's memory
 * (per source the calendar last in force, and confirmations of held updates; calendarMemory()). It is the agent's memory, not
 * a scaling action, so dry-run and shadow keep it too. One document (durable-document.ts) in a backend
 * (a ConfigMap with a cluster, a file without).
 *
 * Each round reads the document, merges this replica's changes since its last round into it (merge.ts;
 * the other replica does the same, so both agree), writes it back only when it changed, guarded by the
 * version it read (a conflict re-reads and merges again), and adopts the result: overrides and the audit
 * trail set through either replica show on both. Rounds run on a timer (every tick) and soon after a
 * change (`nudge`, called on every audited API change and every delivered page), one at a time.
 * Failures are logged and counted; the agent keeps running on what it has and retries next round.
 */
import type { Override } from '../plan/types';
import type { OpenPage, OpenPagesStore, PageSnapshot } from '../contracts/open-pages';
import type { AgentState, AuditEntry } from '../state';
import type { Logger } from '../util/logger';
import { decodeDocument, emptyDocument, encodeDocument, type DurableDocument } from './durable-document';
import type { CalendarConfirmation, CalendarMemory } from '../calendar/calendar-memory';
import type { CalendarSummary } from '../calendar/drop-guard';
import { mergeAudit, mergeCalendarConfirmations, mergeCalendarSummaries, mergeKeyed } from './merge';
import { StateConflictError, type StateBackend } from '../contracts/state-backend';

export interface DurableStoreOptions {
  clock: () => number;
  logger: Logger;
  /** Audit entries kept in the document (the newest); the in-memory list keeps its own, longer, bound. */
  maxAuditEntries: number;
  /** Time between rounds when nothing changed locally (others' changes arrive within this). */
  intervalMs: number;
  onFailure?: () => void;
  onWrite?: () => void;
}

const CONFLICT_TRIES = 5;
/** A confirmation has to outlive the other replica's next round (seconds); a day covers a replica that was down. */
export const CONFIRMATION_RETENTION_MS = 86_400_000;
export const MAX_CONFIRMATIONS = 50;
const overrideId = (o: Override) => o.id;
const pageKey = (p: OpenPage) => p.dedupKey;

export class DurableStateStore {
  failures = 0;
  writes = 0;
  /** The document as last read or written. */
  private current: DurableDocument = emptyDocument();
  /** This replica's overrides as they stood after its last round (the base its deltas are taken against). */
  private lastOverrides = new Map<string, Override>();
  /** Per sink: what the sink last saved, and what it had saved at the last round. */
  private readonly localPages = new Map<string, PageSnapshot>();
  private readonly lastPages = new Map<string, PageSnapshot>();
  /** Per calendar source: the summary this replica last recorded, and what it had recorded at the last round. */
  private readonly localCalendars = new Map<string, CalendarSummary>();
  private lastCalendars = new Map<string, CalendarSummary>();
  /** Confirmations made here and not yet in a stored document. */
  private pendingConfirmations: CalendarConfirmation[] = [];
  private readonly roundListeners: Array<() => void> = [];
  private running: Promise<void> | null = null;
  private rerun = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly waiters: Array<() => void> = [];

  constructor(
    readonly backend: StateBackend,
    private readonly state: AgentState,
    private readonly opts: DurableStoreOptions,
  ) {}

  /**
   * First round, before the agent serves or ticks: loads what earlier runs stored. `beforeFirstWrite`
   * runs when nothing is stored yet (the agent imports overrides saved by older versions there).
   * A store that cannot be reached is logged; the agent starts on memory and keeps trying every round.
   */
  async start(beforeFirstWrite?: () => Promise<void>): Promise<void> {
    try {
      if (beforeFirstWrite && (await this.backend.read()).text === null) await beforeFirstWrite();
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message, store: this.backend.description }, 'could not import older state');
    }
    await this.sync();
    this.opts.logger.info(
      { store: this.backend.description, overrides: this.state.overrides.length, audit: this.current.audit.length, openPages: Object.values(this.current.pages).reduce((n, p) => n + p.open.length, 0), ok: this.failures === 0 },
      'durable state loaded',
    );
    this.timer = setInterval(() => void this.sync(), this.opts.intervalMs);
    this.timer.unref();
  }

  /** Last round, at stop: what changed since is stored. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sync();
  }

  /** A round soon (something changed locally). */
  nudge(): void {
    void this.sync();
  }

  /** Runs a round, or one more after the round in flight; never rejects. */
  sync(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return new Promise((resolve) => this.waiters.push(resolve));
    }
    this.running = (async () => {
      do {
        this.rerun = false;
        const waiting = this.waiters.splice(0);
        await this.round();
        for (const w of waiting) w();
      } while (this.rerun);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** The store a PagerDuty sink keeps its open pages in. */
  pages(sink: string): OpenPagesStore {
    return {
      load: () => {
        const stored = this.current.pages[sink] ?? { open: [], memory: {} };
        // What the sink restores is what it holds: dropping one of these later is a removal to store.
        this.localPages.set(sink, stored);
        this.lastPages.set(sink, stored);
        return Promise.resolve(structuredClone(stored));
      },
      save: (snapshot) => {
        this.localPages.set(sink, structuredClone(snapshot));
        return this.sync();
      },
    };
  }

  /**
   * The calendar store's memory, kept in the document: what it records is stored at the next round (one is
   * nudged), and what the other replica recorded shows here after a round.
   */
  calendarMemory(): CalendarMemory {
    return {
      inForce: (source) => {
        const mine = this.localCalendars.get(source);
        // Recorded here since the last round: not stored yet, and newer than what the store held then.
        if (mine && mine !== this.lastCalendars.get(source)) return mine;
        return this.current.calendars[source] ?? mine;
      },
      recordInForce: (source, summary) => {
        this.localCalendars.set(source, summary);
        this.nudge();
      },
      confirmations: () => [...this.current.calendarConfirmations, ...this.pendingConfirmations],
      recordConfirmation: (c) => {
        this.pendingConfirmations.push(c);
        this.nudge();
      },
    };
  }

  /** Called after every round that reached the store (the calendar refresher applies confirmations made elsewhere). */
  onRound(listener: () => void): void {
    this.roundListeners.push(listener);
  }

  private async round(): Promise<void> {
    const startOverrides = [...this.state.overrides];
    const startAudit = this.state.audit.toArray();
    const startPages = new Map(this.localPages);
    const startCalendars = new Map(this.localCalendars);
    const startConfirmations = [...this.pendingConfirmations];
    let merged: DurableDocument;
    try {
      merged = await this.mergeAndWrite(startOverrides, startAudit, startPages, startCalendars, startConfirmations);
    } catch (err) {
      this.failures++;
      this.opts.onFailure?.();
      this.opts.logger.warn({ err: (err as Error).message, store: this.backend.description }, 'could not sync durable state; keeping what we have, retrying next round');
      return;
    }
    this.current = merged;
    this.adoptOverrides(startOverrides, merged.overrides);
    // The trail shown by GET /audit: both replicas' entries (and this one's older ones, beyond the stored cap).
    this.state.audit.replace(mergeAudit(merged.audit, this.state.audit.toArray(), this.state.audit.capacity));
    for (const [sink, snap] of startPages) this.lastPages.set(sink, snap);
    this.lastCalendars = startCalendars;
    this.pendingConfirmations = this.pendingConfirmations.filter((c) => !startConfirmations.includes(c));
    for (const listener of this.roundListeners) {
      try {
        listener();
      } catch (err) {
        this.opts.logger.warn({ err: (err as Error).message }, 'a durable-state listener failed');
      }
    }
  }

  private async mergeAndWrite(
    localOverrides: Override[],
    localAudit: AuditEntry[],
    localPages: Map<string, PageSnapshot>,
    localCalendars: Map<string, CalendarSummary>,
    localConfirmations: CalendarConfirmation[],
  ): Promise<DurableDocument> {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.backend.read();
      const { doc: remote, dropped } = decodeDocument(stored.text ?? undefined);
      if (dropped.length) this.opts.logger.warn({ store: this.backend.description, dropped: dropped.slice(0, 10), count: dropped.length }, 'dropped malformed entries from the stored state');
      const now = this.opts.clock();
      const next: DurableDocument = {
        overrides: mergeKeyed(remote.overrides, localOverrides, this.lastOverrides, overrideId).filter((o) => o.untilMs > now),
        audit: mergeAudit(remote.audit, localAudit, this.opts.maxAuditEntries),
        pages: { ...remote.pages },
        calendars: mergeCalendarSummaries(remote.calendars, localCalendars, this.lastCalendars),
        calendarConfirmations: mergeCalendarConfirmations(remote.calendarConfirmations, localConfirmations, now, CONFIRMATION_RETENTION_MS, MAX_CONFIRMATIONS),
      };
      for (const [sink, local] of localPages) {
        const last = this.lastPages.get(sink) ?? { open: [], memory: {} };
        const theirs = remote.pages[sink] ?? { open: [], memory: {} };
        const memoryChanged = JSON.stringify(local.memory) !== JSON.stringify(last.memory);
        next.pages[sink] = {
          open: mergeKeyed(theirs.open, local.open, new Map(last.open.map((p) => [pageKey(p), p])), pageKey),
          memory: memoryChanged || !remote.pages[sink] ? local.memory : theirs.memory,
        };
      }
      const text = encodeDocument(next);
      if (text === stored.text) return next;
      try {
        await this.backend.write(text, stored.version);
        this.writes++;
        this.opts.onWrite?.();
        return decodeDocument(text).doc;
      } catch (err) {
        if (!(err instanceof StateConflictError) || attempt >= CONFLICT_TRIES) throw err;
      }
    }
  }

  /**
   * The stored overrides become this replica's, except edits the API made while the round talked to the
   * store: those stay (and are stored next round).
   */
  private adoptOverrides(startLocal: Override[], stored: Override[]): void {
    const startIds = new Set(startLocal.map(overrideId));
    const fresh = this.state.overrides;
    const freshIds = new Set(fresh.map(overrideId));
    const late = fresh.filter((o) => !startIds.has(o.id));
    const removedLate = (o: Override) => startIds.has(o.id) && !freshIds.has(o.id);
    this.state.overrides = [...stored.filter((o) => !removedLate(o)), ...late];
    this.lastOverrides = new Map(stored.map((o) => [o.id, o]));
  }
}
