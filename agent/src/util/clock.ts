/** Time is injected everywhere: real time in production, a fast or stepped clock in demos and tests. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** A clock that runs `speed` times faster than real time from `startMs` (the demo's wedding weekend). */
export function acceleratedClock(startMs: number, speed: number, real: Clock = systemClock): Clock {
  const realStart = real();
  return () => startMs + (real() - realStart) * speed;
}

/** A clock tests move by hand. */
export class ManualClock {
  constructor(public nowMs: number) {}
  readonly now: Clock = () => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}
