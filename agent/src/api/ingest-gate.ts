/**
 * Back-pressure for POST /ingest: a cap on requests in flight (checked before a body is read, so a
 * flood costs little) and a token bucket of samples per second (checked once the batch is counted).
 * Either refusal becomes 429 with Retry-After; clients back off and resend, the agent never hoards.
 */
import type { Clock } from '../util/clock';

export class IngestGate {
  private inFlight = 0;
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly samplesPerSecond: number,
    private readonly maxConcurrent: number,
    private readonly clock: Clock,
  ) {
    this.tokens = samplesPerSecond;
    this.lastMs = clock();
  }

  /** True when the request may proceed; the caller must `leave()` once it has answered. */
  enter(): boolean {
    if (this.inFlight >= this.maxConcurrent) return false;
    this.inFlight++;
    return true;
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /**
   * Takes `samples` tokens, or returns the seconds to wait. A batch larger than one second's worth
   * passes once the bucket is full (it may go negative), so no valid batch is refused forever.
   */
  take(samples: number): number | null {
    const now = this.clock();
    const elapsed = Math.max(0, now - this.lastMs) / 1000;
    this.lastMs = now;
    this.tokens = Math.min(this.samplesPerSecond, this.tokens + elapsed * this.samplesPerSecond);
    const needed = Math.min(samples, this.samplesPerSecond);
    if (this.tokens >= needed) {
      this.tokens -= samples;
      return null;
    }
    return Math.max(1, Math.ceil((needed - this.tokens) / this.samplesPerSecond));
  }
}
