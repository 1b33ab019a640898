/**
 * Bounds bad-token traffic: an address that fails authentication `limit` times within a minute has its
 * further failures answered 429 until its minute is over. It is consulted only for tokens that did not
 * match (auth.ts), so a valid token is never refused here; the table is bounded (oldest windows are
 * forgotten first).
 */
import type { Clock } from '../util/clock';

const WINDOW_MS = 60_000;

export class AuthFailureLimiter {
  private readonly failures = new Map<string, { count: number; resetAtMs: number }>();

  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Seconds until `address` may try again, or null when it may try now. */
  blockedFor(address: string): number | null {
    const e = this.failures.get(address);
    if (!e) return null;
    const now = this.clock();
    if (now >= e.resetAtMs) {
      this.failures.delete(address);
      return null;
    }
    return e.count >= this.limit ? Math.max(1, Math.ceil((e.resetAtMs - now) / 1000)) : null;
  }

  recordFailure(address: string): void {
    const now = this.clock();
    const e = this.failures.get(address);
    if (e && now < e.resetAtMs) {
      e.count++;
      return;
    }
    this.failures.delete(address);
    if (this.failures.size >= this.maxAddresses) this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(address, { count: 1, resetAtMs: now + WINDOW_MS });
  }
}
