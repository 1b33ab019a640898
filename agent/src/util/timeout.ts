/** `work`'s result, or 'timeout' once `ms` have passed first; the timer never holds the process open. */
export async function raceTimeout<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * raceTimeout for work raced again and again against the same limit (a target's tick, every tick): one
 * timer, re-armed with refresh(), instead of a timer, a promise and a clear per race. Work that settles in
 * time leaves the timer armed; when it fires with nothing pending it does nothing (and never holds the
 * process open). Races may overlap: each times out `ms` after it began.
 */
export class RepeatedDeadline {
  private timer: NodeJS.Timeout | null = null;
  private armedMs = 0;
  /** Races not settled yet, each with the instant it times out (on `monotonic`), in start order. */
  private readonly pending: Array<{ atMs: number; expire: () => void }> = [];

  constructor(
    private readonly ms: number,
    private readonly monotonic: () => number = () => performance.now(),
  ) {}

  race<T>(work: Promise<T>): Promise<T | 'timeout'> {
    return new Promise<T | 'timeout'>((resolve, reject) => {
      const entry = { atMs: this.monotonic() + this.ms, expire: () => resolve('timeout') };
      // With a race pending the timer is due for it, earlier than this one: when it fires it re-arms for the rest.
      if (this.pending.length === 0) this.arm(this.ms);
      this.pending.push(entry);
      work.then(
        (value) => {
          this.settle(entry);
          resolve(value);
        },
        (err: unknown) => {
          this.settle(entry);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the work's own rejection, passed on as it is (as Promise.race would)
          reject(err);
        },
      );
    });
  }

  private settle(entry: { atMs: number; expire: () => void }): void {
    const i = this.pending.indexOf(entry);
    if (i >= 0) this.pending.splice(i, 1);
  }

  private arm(ms: number): void {
    if (this.timer !== null && this.armedMs === ms) {
      this.timer.refresh();
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), ms);
    this.timer.unref();
    this.armedMs = ms;
  }

  private fire(): void {
    const now = this.monotonic();
    while (this.pending.length > 0) {
      const entry = this.pending[0];
      if (entry.atMs > now) {
        // Timers may fire a moment early; the rest are due later (entries are in start order).
        this.arm(Math.max(1, entry.atMs - now));
        return;
      }
      this.pending.shift();
      entry.expire();
    }
  }
}
