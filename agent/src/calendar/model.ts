/** The wedding calendar as planners enter it, and the days it expands into. */

export interface Wedding {
  id: string;
  title: string;
  /** Ceremony start of the first celebration day, ISO-8601 with the venue's UTC offset. */
  start: string;
  /** IANA time zone of the venue: decides "Saturday", DST and each day's wall-clock start. */
  timezone: string;
  /** Celebration days (≥ 1); the main day is the last. Each day repeats the first day's wall-clock start. */
  days: number;
  guests: number;
  /** Lower-case tradition key (indian, nigerian, chinese, greek, jewish, british, …). */
  tradition: string;
  vendors: number;
}

export interface WeddingCalendar {
  weddings: Wedding[];
}

export type WeddingPhase = 'pre' | 'ceremony' | 'reception' | 'cleanup';
export const PHASES: readonly WeddingPhase[] = ['pre', 'ceremony', 'reception', 'cleanup'];

/** One celebration day of one wedding, with absolute instants precomputed (ms since epoch). */
export interface WeddingDay {
  wedding: Wedding;
  /** 0-based day of the celebration. */
  dayIndex: number;
  ceremonyStartMs: number;
  /** Start of the first phase and end of the last one: the day's live window. */
  windowStartMs: number;
  windowEndMs: number;
  /** Local calendar date of the ceremony (YYYY-MM-DD) and its ISO weekday (1 = Monday … 7 = Sunday). */
  localDate: string;
  localWeekday: number;
  /** Guests × tradition multiplier × perGuestLoad: the load at phase factor 1. */
  loadAtFactorOne: number;
}
