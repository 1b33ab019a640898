/**
 * Loads calendars from files or HTTP URLs and keeps the last good one when a source fails:
 * a planner's typo in the calendar must never make the agent forget every wedding. An update that
 * removes more than calendar.maxDropFraction of a source's upcoming weddings is held, not applied
 * (calendar/drop-guard.ts), until an operator confirms it by its fingerprint.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CalendarSourceConfig } from '../config/schema';
import type { WeddingCalendar } from '../calendar/model';
import { parseJsonCalendar } from '../calendar/json-reader';
import { parseIcalCalendar } from '../calendar/ical-reader';
import { judgeCalendarUpdate } from '../calendar/drop-guard';

/** An update held back because it removed too many upcoming weddings (the last good calendar stays in force). */
export interface HeldCalendarUpdate {
  /** First 16 hex digits of the SHA-256 of the fetched text: what a confirmation must name. */
  fingerprint: string;
  /** Upcoming weddings in the calendar in force, and in the held update. */
  upcomingBefore: number;
  upcomingAfter: number;
  /** All weddings in the held update. */
  weddings: number;
  /** When this exact update was first held. */
  sinceMs: number;
}

export interface CalendarSourceStatus {
  location: string;
  ok: boolean;
  /** Weddings in the calendar in force for this source. */
  weddings: number;
  lastSuccessMs: number | null;
  lastError: string | null;
  held: HeldCalendarUpdate | null;
}

export type ConfirmOutcome =
  | { outcome: 'applied'; held: HeldCalendarUpdate }
  | { outcome: 'unknown-source' }
  | { outcome: 'nothing-held' }
  | { outcome: 'mismatch'; held: HeldCalendarUpdate };

export interface FetchedResponse {
  ok: boolean;
  status: number;
  headers?: { get(name: string): string | null };
  body?: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
}

export type Fetcher = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<FetchedResponse>;

/** Default for calendar.maxBytes: thousands of weddings fit in a fraction of it. */
export const DEFAULT_CALENDAR_MAX_BYTES = 16 * 1024 * 1024;
/** Default for calendar.maxDropFraction: an update losing more than half the upcoming weddings is held. */
export const DEFAULT_MAX_DROP_FRACTION = 0.5;

const PARSERS = { json: parseJsonCalendar, ical: parseIcalCalendar } as const;

export class CalendarStore {
  private readonly good = new Map<string, WeddingCalendar>();
  private readonly held = new Map<string, { calendar: WeddingCalendar; update: HeldCalendarUpdate }>();
  readonly status = new Map<string, CalendarSourceStatus>();

  constructor(
    private readonly sources: CalendarSourceConfig[],
    private readonly baseDir: string,
    private readonly now: () => number,
    private readonly fetcher: Fetcher = fetch,
    private readonly timeoutMs = 10_000,
    /** A larger calendar is refused before it is parsed (the pod has a memory limit); the last good one stays. */
    private readonly maxBytes = DEFAULT_CALENDAR_MAX_BYTES,
    /** An update removing more than this fraction of the upcoming weddings is held until confirmed. */
    private readonly maxDropFraction = DEFAULT_MAX_DROP_FRACTION,
  ) {
    for (const s of sources) this.status.set(s.location, { location: s.location, ok: false, weddings: 0, lastSuccessMs: null, lastError: 'not loaded yet', held: null });
  }

  private async readText(s: CalendarSourceConfig): Promise<string> {
    if (/^https?:\/\//.test(s.location)) {
      const headers: Record<string, string> = s.bearerToken ? { authorization: `Bearer ${s.bearerToken}` } : {};
      const res = await this.fetcher(s.location, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return readCapped(res, this.maxBytes);
    }
    const path = isAbsolute(s.location) ? s.location : resolve(this.baseDir, s.location);
    const { size } = await stat(path);
    if (size > this.maxBytes) throw tooLarge(size, this.maxBytes);
    return readFile(path, 'utf8');
  }

  /** Refreshes every source; never throws. Returns the merged calendar (last good version of each source). */
  async refresh(): Promise<WeddingCalendar> {
    await Promise.all(
      this.sources.map(async (s) => {
        const st = this.status.get(s.location)!;
        try {
          const text = await this.readText(s);
          const cal = PARSERS[s.format](text, s.location);
          this.accept(s.location, cal, createHash('sha256').update(text).digest('hex').slice(0, 16));
        } catch (err) {
          Object.assign(st, { ok: false, lastError: (err as Error).message });
        }
      }),
    );
    return this.calendar();
  }

  /** Applies a freshly read calendar, or holds it when it drops too many upcoming weddings. */
  private accept(location: string, cal: WeddingCalendar, fingerprint: string): void {
    const st = this.status.get(location)!;
    const now = this.now();
    const inForce = this.good.get(location);
    // The first calendar a source gives has nothing to be compared with: it is applied.
    const verdict = inForce ? judgeCalendarUpdate(inForce, cal, now, this.maxDropFraction) : null;
    if (verdict?.hold) {
      const previous = this.held.get(location)?.update;
      const update: HeldCalendarUpdate = {
        fingerprint,
        upcomingBefore: verdict.upcomingBefore,
        upcomingAfter: verdict.upcomingAfter,
        weddings: cal.weddings.length,
        sinceMs: previous?.fingerprint === fingerprint ? previous.sinceMs : now,
      };
      this.held.set(location, { calendar: cal, update });
      Object.assign(st, { ok: true, lastSuccessMs: now, lastError: null, held: update });
      return;
    }
    this.apply(location, cal);
  }

  private apply(location: string, cal: WeddingCalendar): void {
    this.good.set(location, cal);
    this.held.delete(location);
    Object.assign(this.status.get(location)!, { ok: true, weddings: cal.weddings.length, lastSuccessMs: this.now(), lastError: null, held: null });
  }

  /**
   * An operator's confirmation of a held update, named by source and fingerprint: applied only when it
   * is exactly the update held now, so a later, different update is never confirmed by accident.
   */
  confirm(location: string, fingerprint: string): ConfirmOutcome {
    if (!this.status.has(location)) return { outcome: 'unknown-source' };
    const held = this.held.get(location);
    if (!held) return { outcome: 'nothing-held' };
    if (held.update.fingerprint !== fingerprint) return { outcome: 'mismatch', held: held.update };
    this.apply(location, held.calendar);
    return { outcome: 'applied', held: held.update };
  }

  /** The merged calendar; a wedding id present in several sources is taken from the first. */
  calendar(): WeddingCalendar {
    const seen = new Set<string>();
    const weddings = [];
    for (const s of this.sources) {
      for (const w of this.good.get(s.location)?.weddings ?? []) {
        if (seen.has(w.id)) continue;
        seen.add(w.id);
        weddings.push(w);
      }
    }
    return { weddings };
  }
}

function tooLarge(bytes: number, maxBytes: number): Error {
  return new Error(`calendar is ${bytes} bytes or more, over calendar.maxBytes (${maxBytes}); not read, the last good calendar is kept`);
}

/** The body as text, refusing it as soon as it passes maxBytes: a huge answer is never held in memory. */
async function readCapped(res: FetchedResponse, maxBytes: number): Promise<string> {
  const declared = Number(res.headers?.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(declared, maxBytes);
  if (!res.body) {
    const text = await res.text();
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge(Buffer.byteLength(text), maxBytes);
    return text;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(total, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
