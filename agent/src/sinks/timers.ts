/**
 * Time for the sinks' drain loops. Backoff waits are real time even when the agent's clock is
 * accelerated (the demo), so they use their own source; tests swap in ManualTimers and move time by hand.
 */
export interface SinkTimers {
  now(): number;
  /** Resolves after `ms`; must not keep the process alive. */
  sleep(ms: number): Promise<void>;
}

export const realTimers: SinkTimers = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
};

/** A fake clock for tests: sleeps resolve only when `advance` moves time past them. */
export class ManualTimers implements SinkTimers {
  private waiters: Array<{ atMs: number; resolve: () => void }> = [];
  constructor(public nowMs = 0) {}

  now = (): number => this.nowMs;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.waiters.push({ atMs: this.nowMs + Math.max(0, ms), resolve });
    });

  /** Moves time forward and wakes every sleeper that is due. */
  advance(ms: number): void {
    this.nowMs += ms;
    const due = this.waiters.filter((w) => w.atMs <= this.nowMs);
    this.waiters = this.waiters.filter((w) => w.atMs > this.nowMs);
    for (const w of due) w.resolve();
  }

  get pendingSleeps(): number {
    return this.waiters.length;
  }
}
