/**
 * The subscribers of GET /api/v1/stream. After each tick `publish` works out what changed once
 * (stream-events.ts), serialises each event once, and writes the same bytes to every subscriber.
 *
 * - Bounded: at most `maxSubscribers` at a time (the route answers 503 beyond); a subscriber that stops
 *   reading (more than `maxBufferedBytes` unsent) is cut off and counted, never buffered without end.
 * - Resumable: every event has an increasing id and the last `replayEvents` are kept, so a client that
 *   reconnects with `Last-Event-ID` gets exactly what it missed (no duplicates); one that fell further
 *   behind gets a fresh `snapshot` instead.
 * - A `heartbeat` event every `heartbeatMs` (timer unref-ed) tells the panel the stream is alive when
 *   nothing changes, and finds dead sockets.
 */
import type { AgentState } from '../state';
import { diffTick, snapshotOf, tickFacts, type TickFacts } from './stream-events';

/** What the hub needs of an HTTP response (node's ServerResponse fits). */
export interface StreamSink {
  write(chunk: string): boolean;
  readonly writableLength: number;
  end(): void;
}

export interface StreamHubOptions {
  maxSubscribers: number;
  heartbeatMs: number;
  maxBufferedBytes: number;
  replayEvents: number;
  /** Wall-clock ms for the heartbeat's `at` (the agent's clock may be simulated). */
  now?: () => number;
  onDrop?: (reason: 'slow') => void;
}

export const STREAM_DEFAULTS: StreamHubOptions = { maxSubscribers: 500, heartbeatMs: 15_000, maxBufferedBytes: 256 * 1024, replayEvents: 512 };

interface Sent {
  id: number;
  frame: string;
}

export class StreamHub {
  private readonly subscribers = new Set<StreamSink>();
  private readonly recent: Sent[] = [];
  private last: TickFacts | null = null;
  private nextId = 1;
  private heartbeat: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly opts: StreamHubOptions;
  /** Events sent (each counted once, however many subscribers got it) and subscribers dropped. */
  readonly counts = { events: 0, droppedSlow: 0 };

  constructor(opts: Partial<StreamHubOptions> = {}) {
    this.opts = { ...STREAM_DEFAULTS, ...opts };
  }

  get size(): number {
    return this.subscribers.size;
  }

  get full(): boolean {
    return this.subscribers.size >= this.opts.maxSubscribers;
  }

  /** After a tick: send what changed to every subscriber. Never throws into the loop. */
  publish(state: AgentState): void {
    if (this.closed) return;
    const facts = tickFacts(state);
    const changes = diffTick(this.last, facts);
    this.last = facts;
    if (changes.length === 0) return;
    let batch = '';
    for (const c of changes) {
      const sent = { id: this.nextId++, frame: '' };
      sent.frame = frame(c.type, c.data, sent.id);
      this.recent.push(sent);
      batch += sent.frame;
    }
    this.counts.events += changes.length;
    if (this.recent.length > this.opts.replayEvents) this.recent.splice(0, this.recent.length - this.opts.replayEvents);
    for (const s of this.subscribers) this.send(s, batch);
  }

  /**
   * Adds a subscriber and sends it where it stands: the events after `lastEventId` when they are still
   * kept, else a snapshot of the current view (id = the last event's, so a later resume works).
   * Returns the function that removes it (call it when the connection closes); null when full.
   */
  subscribe(sink: StreamSink, lastEventId?: string): (() => void) | null {
    if (this.closed || this.full) return null;
    this.subscribers.add(sink);
    this.startHeartbeat();
    const after = lastEventId !== undefined && /^\d+$/.test(lastEventId) ? Number(lastEventId) : null;
    const oldest = this.recent[0]?.id;
    if (after !== null && after < this.nextId && after >= (oldest ?? this.nextId) - 1) {
      this.send(
        sink,
        this.recent
          .filter((e) => e.id > after)
          .map((e) => e.frame)
          .join(''),
      );
    } else {
      const snapshot = this.last ? snapshotOf(this.last) : null;
      this.send(sink, `retry: 1000\n${frame('snapshot', snapshot, this.nextId - 1)}`);
    }
    return () => this.remove(sink);
  }

  /** Ends every subscriber (agent shutdown): their connections must not hold the server open. */
  close(): void {
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const s of this.subscribers) s.end();
    this.subscribers.clear();
  }

  private remove(sink: StreamSink): void {
    this.subscribers.delete(sink);
    if (this.subscribers.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }

  private send(sink: StreamSink, chunk: string): void {
    if (!chunk) return;
    if (sink.writableLength > this.opts.maxBufferedBytes) {
      this.counts.droppedSlow++;
      this.opts.onDrop?.('slow');
      this.remove(sink);
      sink.end();
      return;
    }
    sink.write(chunk);
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    const now = this.opts.now ?? Date.now;
    this.heartbeat = setInterval(() => {
      const beat = frame('heartbeat', { at: new Date(now()).toISOString(), lastEventId: this.nextId - 1 });
      for (const s of this.subscribers) this.send(s, beat);
    }, this.opts.heartbeatMs);
    this.heartbeat.unref();
  }
}

/** One Server-Sent Event; JSON has no raw newlines, so `data` is one line. */
export function frame(type: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}
