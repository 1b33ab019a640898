/**
 * Runs one round at a time, and folds calls that arrive during a round into one more round after it: a
 * burst of changes costs two rounds, not one each, and every caller's change is in the round it awaits.
 */
export class SerialRounds {
  private running: Promise<void> | null = null;
  private rerun = false;
  private readonly waiters: Array<() => void> = [];

  /** `round` must not reject (a durable round counts and logs its own failures). */
  constructor(private readonly round: () => Promise<void>) {}

  /** Runs a round, or one more after the round in flight; resolves once a round that began after this call has ended. */
  run(): Promise<void> {
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
}
