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
import type { OpenPagesStore, PageSnapshot } from '../contracts/open-pages';
import type { AgentState, AuditEntry } from '../state';
import type { Logger } from '../util/logger';
import { decodeDocument, emptyDocument, type DurableDocument, type SetAsideRecord } from './durable-document';
import { mergeDocument } from './merge-document';
import { SerialRounds } from './serial-rounds';
import { readStoredDocument } from './set-aside';
import type { CalendarConfirmation, CalendarMemory } from '../calendar/calendar-memory';
import type { CalendarSummary } from '../calendar/drop-guard';
import { fitDocument } from './document-budget';
import { mergeAudit } from './merge';
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
  /** A write had to trim the document to fit its budget (document-budget.ts). */
  onTrim?: () => void;
}

/** Whether a change made through the API is in the stored document (the API's answer says so). */
export type Durability = { durable: true } | { durable: false; reason: string };

/** How the store is doing, for /readyz, /metrics and the start-up log. */
export interface DurableStatus {
  store: string;
  /** The last round reached the store and stored what this replica had. */
  durable: boolean;
  lastError: string | null;
  lastStoredAtMs: number | null;
  /** Bytes of the document last read or written. */
  documentBytes: number;
  /** The stored document before this one was unreadable and was kept aside (recently). */
  setAside: SetAsideRecord | null;
}

const CONFLICT_TRIES = 5;

export class DurableStateStore {
  failures = 0;
  writes = 0;
  /** The document as last read or written. */
  private current: DurableDocument = emptyDocument();
  private currentBytes = 0;
  /** The document id the last round merged against (undefined before the first round). */
  private documentId: string | null | undefined = undefined;
  private lastError: string | null = 'no round has run yet';
  private lastStoredAtMs: number | null = null;
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
  private readonly serial = new SerialRounds(() => this.round());
  private timer: NodeJS.Timeout | null = null;

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
    const { setAside } = this.current;
    const loaded = {
      store: this.backend.description,
      overrides: this.state.overrides.length,
      audit: this.current.audit.length,
      openPages: Object.values(this.current.pages).reduce((n, p) => n + p.open.length, 0),
      ok: this.lastError === null,
    };
    if (this.lastError !== null)
      this.opts.logger.error(
        { ...loaded, err: this.lastError },
        'durable state NOT loaded: starting on memory; overrides set now are not durable until the store answers (retrying every round)',
      );
    else if (setAside)
      this.opts.logger.error(
        { ...loaded, setAside },
        `durable state: the stored state was unreadable (${setAside.reason}) and was kept aside at ${setAside.keptAt}; started from empty — overrides stored there are NOT in force`,
      );
    else this.opts.logger.info(loaded, 'durable state loaded');
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
    return this.serial.run();
  }

  status(): DurableStatus {
    return {
      store: this.backend.description,
      durable: this.lastError === null,
      lastError: this.lastError,
      lastStoredAtMs: this.lastStoredAtMs,
      documentBytes: this.currentBytes,
      setAside: this.current.setAside,
    };
  }

  /**
   * Runs a round (or waits for the one that will include the latest change) and says whether `stored`
   * holds for the document then in the store: the API answers 201 only on `durable: true`.
   */
  async confirm(stored: (doc: DurableDocument) => boolean, timeoutMs: number): Promise<Durability> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.sync().then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    if (timedOut) return { durable: false, reason: `${this.backend.description} did not answer within ${timeoutMs} ms; retrying every round` };
    if (this.lastError !== null) return { durable: false, reason: `${this.backend.description}: ${this.lastError}; kept in memory, retrying every round` };
    if (!stored(this.current)) return { durable: false, reason: `not in ${this.backend.description} yet; retrying every round` };
    return { durable: true };
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
      lost: () => this.current.setAside !== null,
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
      this.lastError = (err as Error).message;
      this.opts.onFailure?.();
      this.opts.logger.warn(
        { err: (err as Error).message, store: this.backend.description },
        'could not sync durable state; keeping what we have, retrying next round',
      );
      return;
    }
    this.lastError = null;
    this.lastStoredAtMs = this.opts.clock();
    this.current = merged;
    this.documentId = merged.documentId;
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
      try {
        const now = this.opts.clock();
        const { remote, version, storedText } = await readStoredDocument(this.backend, now, this.opts.logger);
        // Another line of history (the document was started anew): push everything held, not only changes.
        const sameHistory = this.documentId === undefined || remote.documentId === this.documentId;
        const next = mergeDocument(
          remote,
          { overrides: localOverrides, audit: localAudit, pages: localPages, calendars: localCalendars, confirmations: localConfirmations },
          sameHistory ? { overrides: this.lastOverrides, pages: this.lastPages, calendars: this.lastCalendars } : null,
          { nowMs: now, lastOverrides: this.lastOverrides, maxAuditEntries: this.opts.maxAuditEntries },
        );
        const { text, trimmed } = fitDocument(next);
        if (trimmed.length) {
          this.opts.onTrim?.();
          this.opts.logger.warn(
            { store: this.backend.description, trimmed, bytes: Buffer.byteLength(text) },
            'durable state: the document was trimmed to fit its size budget',
          );
        }
        this.currentBytes = Buffer.byteLength(text);
        if (text === storedText) return next;
        await this.backend.write(text, version);
        this.writes++;
        this.opts.onWrite?.();
        return decodeDocument(text).doc;
      } catch (err) {
        if (!(err instanceof StateConflictError) || attempt >= CONFLICT_TRIES) throw err;
      }
    }
  }

  /** The stored overrides become this replica's (the state merges in edits made meanwhile). */
  private adoptOverrides(startLocal: readonly Override[], stored: Override[]): void {
    this.state.adoptStoredOverrides(startLocal, stored);
    this.lastOverrides = new Map(stored.map((o) => [o.id, o]));
  }
}
