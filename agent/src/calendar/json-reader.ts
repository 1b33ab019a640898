/**
 * Reads the JSON calendar format (`{"weddings":[…]}`, as in the shared traces). A text that is not JSON
 * or has no `weddings` array is refused; a single entry that fails the schema is skipped and reported
 * (calendar-issues.ts), never the whole source.
 */
import { z } from 'zod';
import { isIanaZone } from './zone-cache';
import { CalendarFormatError, IssueCollector, type CalendarRead } from './calendar-issues';
import { WeddingSink, type ReadLimits } from './wedding-sink';
import { isoInstant } from './iso-instant';

export const weddingSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().default(''),
    start: z.string().refine((s) => Number.isFinite(isoInstant(s)) && /([+-]\d\d:?\d\d|Z)$/.test(s), {
      message: 'must be ISO-8601 with a UTC offset, e.g. 2027-06-05T14:00:00+01:00',
    }),
    timezone: z.string().refine((tz) => isIanaZone(tz), { message: 'is not an IANA time zone' }),
    days: z.number().int().min(1).max(14).default(1),
    guests: z.number().int().min(0),
    tradition: z
      .string()
      .transform((s) => s.trim().toLowerCase())
      .default('british'),
    vendors: z.number().int().min(0).default(0),
  })
  .loose();

export const calendarSchema = z.object({ weddings: z.array(weddingSchema) });

export { CalendarFormatError };

export function parseJsonCalendar(text: string, origin: string, limits: ReadLimits = {}): CalendarRead {
  const reader = new JsonCalendarReader(text, origin, limits);
  while (!reader.step(Infinity));
  return reader.result();
}

/**
 * Reads `{"weddings": [ … ]}` one entry at a time: `step(n)` reads up to n entries, so the caller can
 * yield between steps (a 15 MB calendar parsed by one JSON.parse blocked the event loop for seconds and
 * held the whole tree at once). The text is scanned for the entries of the top-level `weddings` array and
 * each entry is parsed alone; a text of another shape falls back to one JSON.parse of the whole.
 */
export class JsonCalendarReader {
  private readonly issues = new IssueCollector();
  private readonly sink: WeddingSink;
  private pos = 0;
  private entryNo = 0;
  private done = false;
  /** Entries parsed at once when the text is not the usual shape. */
  private fallback: unknown[] | null = null;

  constructor(
    private readonly text: string,
    private readonly origin: string,
    limits: ReadLimits = {},
  ) {
    this.sink = new WeddingSink(origin, limits, this.issues);
    const start = /^\s*\{\s*"weddings"\s*:\s*\[/.exec(text.replace(/^\uFEFF/, ''));
    if (start) this.pos = start[0].length + (text.startsWith('\uFEFF') ? 1 : 0);
    else this.fallback = this.parseWhole();
  }

  private parseWhole(): unknown[] {
    let raw: unknown;
    try {
      raw = JSON.parse(this.text);
    } catch (err) {
      throw new CalendarFormatError(`${this.origin}: not JSON: ${(err as Error).message}`);
    }
    const entries = (raw as { weddings?: unknown } | null)?.weddings;
    if (!Array.isArray(entries)) throw new CalendarFormatError(`${this.origin}: weddings: expected an array of weddings (the format is {"weddings": [...]})`);
    return entries;
  }

  /** Reads up to `n` entries; true when the calendar has been read to its end. */
  step(n: number): boolean {
    for (let k = 0; k < n && !this.done; k++) {
      if (this.fallback) {
        if (this.entryNo >= this.fallback.length) this.done = true;
        else this.entry(this.fallback[this.entryNo]);
        continue;
      }
      const next = this.nextEntryText();
      if (next === null) this.done = true;
      else {
        let value: unknown;
        try {
          value = JSON.parse(next);
        } catch (err) {
          throw new CalendarFormatError(`${this.origin}: not JSON: ${(err as Error).message} (in weddings[${this.entryNo}])`);
        }
        this.entry(value);
      }
    }
    return this.done;
  }

  result(): CalendarRead {
    return { weddings: this.sink.weddings, issues: this.issues.issues, skipped: this.issues.skipped, noted: this.issues.noted };
  }

  /** The text of the next array element, or null at the array's end (then the rest must close the object). */
  private nextEntryText(): string | null {
    const t = this.text;
    let i = this.pos;
    while (i < t.length && /[\s,]/.test(t[i])) i++;
    // The array's end (what follows it, other keys of the object, is not read); or the text's end: truncated.
    if (t[i] === ']') return null;
    if (i >= t.length) throw new CalendarFormatError(`${this.origin}: not JSON: the text ends inside the weddings array`);
    const from = i;
    let depth = 0;
    let inString = false;
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (inString) {
        if (c === 92)
          i++; // backslash: skip the escaped character
        else if (c === 34) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) break;
        if (depth < 0) {
          i--; // a scalar entry ended by the array's `]`
          break;
        }
      } else if (c === 44 && depth === 0) {
        i--;
        break;
      }
    }
    if (i >= t.length) throw new CalendarFormatError(`${this.origin}: not JSON: the text ends inside weddings[${this.entryNo}]`);
    this.pos = i + 1;
    return t.slice(from, i + 1);
  }

  private entry(entry: unknown): void {
    const i = this.entryNo++;
    const r = weddingSchema.safeParse(entry);
    const rawId = (entry as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' && rawId !== '' ? rawId : null;
    if (!r.success) {
      this.issues.add({
        event: i + 1,
        id,
        problem: r.error.issues.map((iss) => `weddings.${i}.${iss.path.join('.')}: ${iss.message}`).join('; '),
        skipped: true,
      });
      return;
    }
    const { title, start, timezone, days, guests, tradition, vendors } = r.data;
    this.sink.add({ id: r.data.id, title, start, timezone, days, guests, tradition, vendors }, i + 1);
  }
}
