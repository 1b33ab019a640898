/**
 * Retry policy as pure functions, so every branch is a table test.
 *
 * Why not `exponential-backoff` (which the backtest's Prometheus reads use): its `backOff(fn)` owns the whole retry loop around one call,
 * sleeping with real timers. A sink needs the opposite shape — the queue keeps accepting (and dropping
 * oldest) while it waits, the wait must honour the server's Retry-After, and tests drive it with a fake
 * clock. What remains is two tiny functions, cheaper to own than to bend a library around.
 */
import type { SendOutcome } from '../contracts/sink';

export interface BackoffPolicy {
  /** First retry waits up to this long. */
  initialMs: number;
  /** No computed wait exceeds this. */
  maxMs: number;
  /** A server's Retry-After is honoured up to this cap (a hostile or broken header cannot park a sink for a day). */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, maxRetryAfterMs: 300_000 };

/** 429 (rate limited), 408 (timeout) and 5xx are worth retrying; other 4xx mean the request itself is wrong. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** Turns an HTTP status and its Retry-After header into a failed SendOutcome. */
export function httpFailure(status: number, retryAfter: string | null | undefined, nowMs: number, body = ''): SendOutcome & { ok: false } {
  const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
  return {
    ok: false,
    status,
    retryable: isRetryableStatus(status),
    error: `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

/** Retry-After is either delay-seconds or an HTTP date; anything unreadable is ignored. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP date always has a weekday/month name; this keeps Date.parse from reading "-5" as a year.
  const at = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * Wait before retry number `attempt` (1 = first retry): "full jitter" — uniform in [0, min(max, initial·2^(attempt−1))],
 * so a fleet of agents that failed together does not retry together. A Retry-After wins when it asks
 * for longer (capped by maxRetryAfterMs).
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}
