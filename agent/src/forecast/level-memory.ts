/**
 * What the level factor summed for each history point, kept per ring slot of the history while the
 * forecaster's profile cache keeps its generation: the point's profile (the cache's value, which never
 * changes within a generation) and its wedding-free actual (value − β·expected load; β changes only at a
 * refit, which starts a new generation). The level re-reads ~500 points every tick; with this it reads one
 * entry (time, generation, profile, actual: side by side, one cache line) instead of the instant cache,
 * the ring's values and the calendar. Same numbers, same order.
 *
 * Only for a calendar fixed while the forecaster runs (the replay's point memory); the newest point, whose
 * value still moves while its bucket fills, is never kept.
 */
export const LEVEL_ENTRY = 4;
export const L_TIME = 0;
export const L_GENERATION = 1;
export const L_PROFILE = 2;
export const L_ACTUAL = 3;

export class LevelMemory {
  /** LEVEL_ENTRY numbers per ring slot; generation 0 is none. */
  readonly entries: Float64Array;
  private context: object | null = null;

  constructor(capacity: number) {
    this.entries = new Float64Array(capacity * LEVEL_ENTRY);
  }

  /** Forgets everything when another context answers the calendar (a replay passes one for good). */
  useContext(context: object): void {
    if (this.context === context) return;
    this.context = context;
    for (let i = L_GENERATION; i < this.entries.length; i += LEVEL_ENTRY) this.entries[i] = 0;
  }

  keep(slot: number, t: number, generation: number, profile: number, actual: number): void {
    const at = slot * LEVEL_ENTRY;
    this.entries[at + L_TIME] = t;
    this.entries[at + L_GENERATION] = generation;
    this.entries[at + L_PROFILE] = profile;
    this.entries[at + L_ACTUAL] = actual;
  }
}
