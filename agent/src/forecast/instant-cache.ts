/**
 * A number cached per instant, with a Map's meaning (the first value set for a key stays until `clear`)
 * and an array's cost for instants on a regular grid: a forecaster asked every tick for a horizon that
 * moved by one step, and for a level over the same recent points, looks the same instants up hundreds of
 * times a tick. Grid instants live in a ring of slots (one per grid step, `slots` of them); an instant
 * off the grid, or whose slot is already taken in this generation, goes to a Map. `clear` starts a new
 * generation in O(1).
 */
export class InstantCache {
  private readonly keys: Float64Array;
  private readonly values: Float64Array;
  private readonly generations: Uint32Array;
  private readonly mask: number;
  private readonly overflow = new Map<number, number>();
  private generation = 1;
  private phase = 0;
  private count = 0;

  /** `slots` is rounded up to a power of two. */
  constructor(
    private readonly gridMs: number,
    slots = 1 << 17,
  ) {
    const n = 2 ** Math.ceil(Math.log2(Math.max(2, slots)));
    this.mask = n - 1;
    this.keys = new Float64Array(n);
    this.values = new Float64Array(n);
    this.generations = new Uint32Array(n);
  }

  /** Changes at every clear (never 0): a copy of an entry made in one generation is right until it changes. */
  get generationId(): number {
    return this.generation;
  }

  /** Entries set since the last clear. */
  get size(): number {
    return this.count;
  }

  /** Forgets everything; grid instants are then `phase` + k·gridMs. */
  clear(phase = this.phase): void {
    this.generation++;
    this.overflow.clear();
    this.count = 0;
    this.phase = phase;
  }

  get(tMs: number): number | undefined {
    const slot = this.slotOf(tMs);
    if (slot >= 0 && this.generations[slot] === this.generation && this.keys[slot] === tMs) return this.values[slot];
    return this.overflow.size ? this.overflow.get(tMs) : undefined;
  }

  /** Call only for a key `get` did not find. */
  set(tMs: number, value: number): void {
    this.count++;
    const slot = this.slotOf(tMs);
    if (slot >= 0 && this.generations[slot] !== this.generation) {
      this.generations[slot] = this.generation;
      this.keys[slot] = tMs;
      this.values[slot] = value;
    } else this.overflow.set(tMs, value);
  }

  private slotOf(tMs: number): number {
    const k = (tMs - this.phase) / this.gridMs;
    return k === Math.floor(k) && Math.abs(k) < 2 ** 31 ? k & this.mask : -1;
  }
}
