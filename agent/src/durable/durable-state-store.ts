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
import { randomUUID } from 'node:crypto';
import { decodeDocument, emptyDocument, type DurableDocument, type SetAsideRecord } from './durable-document';
import type { CalendarConfirmation, CalendarMemory } from '../calendar/calendar-memory';
import type { CalendarSummary } from '../calendar/drop-guard';
import { fitDocument } from './document-budget';
import { mergeAudit, mergeCalendarConfirmations, mergeCalendarSummaries, mergeKeyed } from './merge';
import { SET_ASIDE_NOTICE_MS } from './set-aside';
import { StateConflictError, type StateBackend } from '../contracts/state-backend';
import { localDeletions, mergeTombstones, withoutDeleted } from './tombstones';

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
    const { setAside } = this.current;
    const loaded = { store: this.backend.description, overrides: this.state.overrides.length, audit: this.current.audit.length, openPages: Object.values(this.current.pages).reduce((n, p) => n + p.open.length, 0), ok: this.lastError === null };
    if (this.lastError !== null) this.opts.logger.error({ ...loaded, err: this.lastError }, 'durable state NOT loaded: starting on memory; overrides set now are not durable until the store answers (retrying every round)');
    else if (setAside) this.opts.logger.error({ ...loaded, setAside }, `durable state: the stored state was unreadable (${setAside.reason}) and was kept aside at ${setAside.keptAt}; started from empty — overrides stored there are NOT in force`);
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
    if (this.running) {
      this.rerun = true;
      return new Promise((resolve) => this.waiters.push(resolve));
    }
    this.running = this.rounds();
    return this.running;
  }

  /**
   * Rounds until no call asked for another. `running` is cleared in the same step as the last check of
   * `rerun`: a call arriving between the two would otherwise wait for a round that never comes.
   */
  private async rounds(): Promise<void> {
    try {
      do {
        this.rerun = false;
        const waiting = this.waiters.splice(0);
        await this.round();
        for (const w of waiting) w();
      } while (this.rerun);
    } finally {
      this.running = null;
    }
  }

  status(): DurableStatus {
    return { store: this.backend.description, durable: this.lastError === null, lastError: this.lastError, lastStoredAtMs: this.lastStoredAtMs, documentBytes: this.currentBytes, setAside: this.current.setAside };
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
    if (process.env.DBG_ROUNDS) console.log('DBG round', this.documentId, this.current.documentId, new Error().stack?.split('\n').slice(2,6).join(' / '));
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
      this.opts.logger.warn({ err: (err as Error).message, store: this.backend.description }, 'could not sync durable state; keeping what we have, retrying next round');
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
        const { remote, version, storedText } = await this.readRemote(now);
        // Another line of history (the document was started anew): push everything held, not only changes.
        const sameHistory = this.documentId === undefined || remote.documentId === this.documentId;
        const baseOverrides = sameHistory ? this.lastOverrides : new Map<string, Override>();
        const deletedOverrides = mergeTombstones(remote.deletedOverrides, localDeletions(this.lastOverrides, localOverrides, now), now);
        const next: DurableDocument = {
          overrides: withoutDeleted(mergeKeyed(remote.overrides, localOverrides, baseOverrides, overrideId), deletedOverrides).filter((o) => o.untilMs > now),
          deletedOverrides,
          audit: mergeAudit(remote.audit, localAudit, this.opts.maxAuditEntries),
          pages: { ...remote.pages },
          calendars: mergeCalendarSummaries(remote.calendars, localCalendars, sameHistory ? this.lastCalendars : new Map()),
          calendarConfirmations: mergeCalendarConfirmations(remote.calendarConfirmations, localConfirmations, now, CONFIRMATION_RETENTION_MS, MAX_CONFIRMATIONS),
          documentId: remote.documentId ?? randomUUID(),
          setAside: remote.setAside && remote.setAside.atMs > now - SET_ASIDE_NOTICE_MS ? remote.setAside : null,
        };
        for (const [sink, local] of localPages) {
          const last = (sameHistory ? this.lastPages.get(sink) : undefined) ?? { open: [], memory: {} };
          const theirs = remote.pages[sink] ?? { open: [], memory: {} };
          const memoryChanged = JSON.stringify(local.memory) !== JSON.stringify(last.memory);
          next.pages[sink] = {
            open: mergeKeyed(theirs.open, local.open, new Map(last.open.map((p) => [pageKey(p), p])), pageKey),
            memory: memoryChanged || !remote.pages[sink] ? local.memory : theirs.memory,
          };
        }
        const { text, trimmed } = fitDocument(next);
        if (trimmed.length) {
          this.opts.onTrim?.();
          this.opts.logger.warn({ store: this.backend.description, trimmed, bytes: Buffer.byteLength(text) }, 'durable state: the document was trimmed to fit its size budget');
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

  /**
   * The stored document. One that cannot be read (not JSON, or too large to read) is kept aside by the
   * backend first, never overwritten: the new document starts empty and records where the old one went.
   */
  private async readRemote(now: number): Promise<{ remote: DurableDocument; version: string | null; storedText: string | null }> {
    const stored = await this.backend.read();
    const decoded = decodeDocument(stored.text ?? undefined);
    if (decoded.dropped.length) this.opts.logger.warn({ store: this.backend.description, dropped: decoded.dropped.slice(0, 10), count: decoded.dropped.length }, 'dropped malformed entries from the stored state');
    const problem = stored.tooLargeBytes !== undefined ? `${stored.tooLargeBytes} bytes, larger than the agent reads` : decoded.unreadable;
    if (!problem) return { remote: decoded.doc, version: stored.version, storedText: stored.text };
    const { keptAt, nextVersion } = await this.backend.setAside(stored.version, now);
    const setAside = { atMs: now, keptAt, reason: problem };
    this.opts.logger.error({ store: this.backend.description, setAside }, `durable state: the stored state is unreadable (${problem}); kept aside at ${keptAt}, starting a new document`);
    return { remote: { ...emptyDocument(), documentId: randomUUID(), setAside }, version: nextVersion, storedText: null };
  }

  /** The stored overrides become this replica's (the state merges in edits made meanwhile). */
  private adoptOverrides(startLocal: readonly Override[], stored: Override[]): void {
    this.state.adoptStoredOverrides(startLocal, stored);
    this.lastOverrides = new Map(stored.map((o) => [o.id, o]));
  }
}
