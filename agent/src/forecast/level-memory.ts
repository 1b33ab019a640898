/**
 * What the level factor summed for each history point, kept per ring slot of the history while the
 * forecaster's profile cache keeps its generation: the point's profile (the cache's value, which never
 * changes within a generation) and its wedding-free actual (value − β·expected load; β changes only at a
 * refit, which starts a new generation). The level re-reads ~500 points every tick; with this it reads two
 * typed arrays instead of the instant cache, the ring's times and the calendar. Same numbers, same order.
 *
 * Only for a calendar fixed while the forecaster runs (the replay's point memory); the newest point, whose
 * value still moves while its bucket fills, is never kept.
 */
export class LevelMemory {
  readonly profile: Float64Array;
  readonly actual: Float64Array;
  readonly time: Float64Array;
  /** The profile cache's generation each entry belongs to (0: none). */
  readonly generation: Uint32Array;
  private context: object | null = null;

  constructor(capacity: number) {
    this.profile = new Float64Array(capacity);
    this.actual = new Float64Array(capacity);
    this.time = new Float64Array(capacity);
    this.generation = new Uint32Array(capacity);
  }

  /** Forgets everything when another context answers the calendar (a replay passes one for good). */
  useContext(context: object): void {
    if (this.context === context) return;
    this.context = context;
    this.generation.fill(0);
  }

  keep(slot: number, t: number, generation: number, profile: number, actual: number): void {
    this.generation[slot] = generation;
    this.time[slot] = t;
    this.profile[slot] = profile;
    this.actual[slot] = actual;
  }
}
