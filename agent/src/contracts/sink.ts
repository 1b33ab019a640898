/**
 * The sink contract: how the agent's metrics and pages leave the process.
 *
 * Shaped like OpenTelemetry's exporters: the fan-out decides *what* and *when*, a sink decides *how*.
 * `export` only queues and returns at once, so a slow or dead destination can never hold up the control
 * loop or the other sinks; delivery happens in the sink's own drain loop. Failures come back as values
 * (`ExportResult`, `FlushResult`, `SendOutcome`) — nothing a sink does throws into the agent.
 */
import type { SinkHealth } from '../api/contract';
import type { AgentState } from '../state';

/** One value from the agent's registry, exactly as /metrics shows it (histograms as _bucket/_sum/_count). */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Prometheus type of the family; counters stay cumulative (see each sink for how it maps them). */
  kind: 'gauge' | 'counter';
  /** Agent-clock instant the sample was collected at. */
  atMs: number;
}

/** What the fan-out hands every sink after a tick. */
export interface SinkInput {
  atMs: number;
  samples: readonly Sample[];
  /** Read-only view of the state, for sinks that judge conditions (paging) rather than ship samples. */
  state: AgentState;
}

/** Result of `export`: how many items were queued and how many older ones were dropped to make room. */
export interface ExportResult {
  accepted: number;
  dropped: number;
}

/** Result of `forceFlush`/`shutdown`: `ok` when nothing is left pending; `pending` items otherwise. */
export interface FlushResult {
  ok: boolean;
  pending: number;
}

/** What GET /status shows for a sink: its wire shape is defined by the API contract. */
export type { SinkHealth } from '../api/contract';

export interface Sink {
  readonly name: string;
  readonly type: string;
  /** Queues what this sink needs from the tick. Returns immediately and never throws. */
  export(input: SinkInput): ExportResult;
  /** Sends what is queued now (skipping any backoff wait) until empty or `deadlineMs` (real ms) passes. */
  forceFlush(deadlineMs: number): Promise<FlushResult>;
  /** Stops accepting, flushes with the deadline, counts what is left as dropped. Idempotent. */
  shutdown(deadlineMs: number): Promise<FlushResult>;
  health(): SinkHealth;
  /** Loads what the sink kept from an earlier run (PagerDuty: its open pages), before the first tick. */
  start?(): Promise<void>;
}

/** One delivery attempt's outcome, as a transport reports it. */
export type SendOutcome =
  | {
      ok: true;
      /**
       * How many of the batch went out (all when absent). 0: the transport left every item out on purpose
       * (PagerDuty hands an overdue trigger to Alertmanager): nothing was sent, so nothing is counted.
       */
      sent?: number;
    }
  | {
      ok: false;
      error: string;
      /** HTTP status when there was a response; absent for network errors and timeouts. */
      status?: number;
      retryable: boolean;
      /** The server's Retry-After, already converted to milliseconds from now. */
      retryAfterMs?: number;
    };

/** The "how" of a sink: delivers one batch. May reject — the queue turns a rejection into a retryable failure. */
export interface Transport<T> {
  send(batch: T[], signal: AbortSignal): Promise<SendOutcome>;
}

/** A built sink and how often it wants the tick's output (0 = every tick). */
export interface SinkEntry {
  sink: Sink;
  intervalMs: number;
}
