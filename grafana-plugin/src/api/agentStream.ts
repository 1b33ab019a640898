/**
 * Follows the agent's tick stream (GET /api/v1/stream, Server-Sent Events) through the app's proxy route.
 * Grafana's plugin proxy is Go's httputil.ReverseProxy, which flushes `text/event-stream` responses at
 * once, so events pass through unbuffered; the browser sends its Grafana session cookie and Grafana adds
 * the agent's token, as for every other request.
 *
 * - Reconnects itself with capped, jittered exponential backoff (EventSource's own retry is a fixed delay
 *   and never gives up on a 4xx), resuming with `lastEventId` so the agent replays what was missed.
 * - Never hands the same event twice: ids only go up; anything at or below the last seen id is dropped.
 * - Says how it is doing (`live`, `reconnecting`, `down`) so the panel can fall back to polling.
 */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'down';
export type StreamEventType = 'snapshot' | 'load' | 'decision' | 'protections' | 'pages' | 'heartbeat';
export const STREAM_EVENT_TYPES: StreamEventType[] = ['snapshot', 'load', 'decision', 'protections', 'pages', 'heartbeat'];

/** What the stream needs of a browser EventSource (injected in tests). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (e: MessageEvent<string>) => void): void;
  onopen: ((e: Event) => void) | null;
  onerror: ((e: Event) => void) | null;
  close(): void;
}

export interface AgentStreamOptions {
  url: string;
  onEvent: (type: StreamEventType, data: unknown, id: number | null) => void;
  onState: (state: StreamState) => void;
  newEventSource?: (url: string) => EventSourceLike;
  /** First and longest wait before reconnecting. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** After this many failed attempts in a row the state is `down` (the panel polls), but retries go on. */
  downAfterFailures?: number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

/** Capped exponential backoff with full jitter: attempt 1 waits up to min, then 2×, 4×… up to max. */
export function backoffMs(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(minMs / 2 + random() * (cap - minMs / 2));
}

export class AgentStream {
  private source: EventSourceLike | null = null;
  private lastId = 0;
  private failures = 0;
  private timer: unknown = null;
  private stopped = false;
  private readonly o: Required<AgentStreamOptions>;

  constructor(opts: AgentStreamOptions) {
    // Defaults one by one: an option passed as undefined (no EventSource from context) must not erase its default.
    this.o = {
      ...opts,
      newEventSource: opts.newEventSource ?? ((url) => new EventSource(url) as unknown as EventSourceLike),
      minBackoffMs: opts.minBackoffMs ?? 1000,
      maxBackoffMs: opts.maxBackoffMs ?? 30_000,
      downAfterFailures: opts.downAfterFailures ?? 3,
      random: opts.random ?? Math.random,
      setTimer: opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms)),
      clearTimer: opts.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>)),
    };
  }

  /** The id of the last event handed on (0 before any). */
  get lastEventId(): number {
    return this.lastId;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.source?.close();
    this.source = null;
    if (this.timer !== null) {
      this.o.clearTimer(this.timer);
    }
    this.timer = null;
  }

  private connect(): void {
    if (this.stopped) {
      return;
    }
    this.o.onState(this.failures === 0 ? 'connecting' : this.failures >= this.o.downAfterFailures ? 'down' : 'reconnecting');
    const url = this.lastId > 0 ? `${this.o.url}${this.o.url.includes('?') ? '&' : '?'}lastEventId=${this.lastId}` : this.o.url;
    const source = this.o.newEventSource(url);
    this.source = source;
    for (const type of STREAM_EVENT_TYPES) {
      source.addEventListener(type, (e) => this.handle(type, e));
    }
    source.onopen = () => {
      this.failures = 0;
      this.o.onState('live');
    };
    source.onerror = () => {
      // Take reconnecting over from EventSource: close, back off, reopen with where we stand.
      source.close();
      if (this.source !== source || this.stopped) {
        return;
      }
      this.source = null;
      this.failures++;
      this.o.onState(this.failures >= this.o.downAfterFailures ? 'down' : 'reconnecting');
      this.timer = this.o.setTimer(
        () => {
          this.timer = null;
          this.connect();
        },
        backoffMs(this.failures, this.o.minBackoffMs, this.o.maxBackoffMs, this.o.random),
      );
    };
  }

  private handle(type: StreamEventType, e: MessageEvent<string>): void {
    const id = e.lastEventId && /^\d+$/.test(e.lastEventId) ? Number(e.lastEventId) : null;
    // A snapshot restates the state as of its id; an event at or below what we have is a duplicate.
    if (id !== null && type !== 'snapshot' && type !== 'heartbeat' && id <= this.lastId) {
      return;
    }
    if (id !== null && type !== 'heartbeat') {
      this.lastId = Math.max(this.lastId, id);
    }
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      return;
    }
    this.o.onEvent(type, data, id);
  }
}
