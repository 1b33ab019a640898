/**
 * Loads calendars from files or HTTP URLs and keeps the last good one when a source fails:
 * a planner's typo in the calendar must never make the agent forget every wedding.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CalendarSourceConfig } from '../config/schema';
import type { WeddingCalendar } from '../calendar/model';
import { parseJsonCalendar } from '../calendar/json-reader';
import { parseIcalCalendar } from '../calendar/ical-reader';

export interface CalendarSourceStatus {
  location: string;
  ok: boolean;
  weddings: number;
  lastSuccessMs: number | null;
  lastError: string | null;
}

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

const PARSERS = { json: parseJsonCalendar, ical: parseIcalCalendar } as const;

export class CalendarStore {
  private readonly good = new Map<string, WeddingCalendar>();
  readonly status = new Map<string, CalendarSourceStatus>();

  constructor(
    private readonly sources: CalendarSourceConfig[],
    private readonly baseDir: string,
    private readonly now: () => number,
    private readonly fetcher: Fetcher = fetch,
    private readonly timeoutMs = 10_000,
    /** A larger calendar is refused before it is parsed (the pod has a memory limit); the last good one stays. */
    private readonly maxBytes = DEFAULT_CALENDAR_MAX_BYTES,
  ) {
    for (const s of sources) this.status.set(s.location, { location: s.location, ok: false, weddings: 0, lastSuccessMs: null, lastError: 'not loaded yet' });
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
          const cal = PARSERS[s.format](await this.readText(s), s.location);
          this.good.set(s.location, cal);
          Object.assign(st, { ok: true, weddings: cal.weddings.length, lastSuccessMs: this.now(), lastError: null });
        } catch (err) {
          Object.assign(st, { ok: false, lastError: (err as Error).message });
        }
      }),
    );
    return this.calendar();
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
