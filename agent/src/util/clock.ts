/**
 * Time is injected everywhere: real time in production, a fast or stepped clock in demos and tests.
 *
 * Two kinds of instant, never mixed:
 * - **wall** (`Clock`, epoch ms): calendar questions ("is it Saturday in the wedding's zone"), timestamps
 *   shown to people, sample times from sources;
 * - **monotonic** (`MonoClock`): every elapsed-time computation (a reading's age, stabilisation windows,
 *   step limits, holds). An NTP step or a hand-set clock moves wall time by any amount in either
 *   direction; monotonic time only ever advances with real time.
 * A simulated clock (demo, replay, tests) is its own monotonic time: nothing steps it behind the agent's back.
 */
export type Clock = () => number;
/** Monotonic instants in ms. Only differences mean anything. */
export type MonoClock = () => number;

export const systemClock: Clock = () => Date.now();

/**
 * performance.now() (monotonic since the process started), offset to read like the wall time at start-up
 * so that logged instants look familiar; still only differences are meaningful.
 */
export function systemMonoClock(): MonoClock {
  const origin = Date.now() - performance.now();
  return () => origin + performance.now();
}

/** A clock that runs `speed` times faster than real time from `startMs` (the demo's wedding weekend). */
export function acceleratedClock(startMs: number, speed: number, real: Clock = systemClock): Clock {
  const realStart = real();
  return () => startMs + (real() - realStart) * speed;
}

/** A clock tests move by hand: `advance` moves both kinds of time, `stepWall` only the wall clock (an NTP step). */
export class ManualClock {
  monoMs: number;
  constructor(public nowMs: number) {
    this.monoMs = nowMs;
  }
  readonly now: Clock = () => this.nowMs;
  readonly mono: MonoClock = () => this.monoMs;
  advance(ms: number): void {
    this.nowMs += ms;
    this.monoMs += ms;
  }
  stepWall(ms: number): void {
    this.nowMs += ms;
  }
}
