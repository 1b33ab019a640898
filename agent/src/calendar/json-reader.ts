/**
 * Reads the JSON calendar format (`{"weddings":[…]}`, as in the shared traces). A text that is not JSON
 * or has no `weddings` array is refused; a single entry that fails the schema is skipped and reported
 * (calendar-issues.ts), never the whole source.
 */
import { z } from 'zod';
import { IANAZone, DateTime } from 'luxon';
import { CalendarFormatError, IssueCollector, type CalendarRead } from './calendar-issues';
import { WeddingSink, type ReadLimits } from './wedding-sink';

export const weddingSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().default(''),
    start: z.string().refine((s) => DateTime.fromISO(s, { setZone: true }).isValid && /([+-]\d\d:?\d\d|Z)$/.test(s), {
      message: 'must be ISO-8601 with a UTC offset, e.g. 2027-06-05T14:00:00+01:00',
    }),
    timezone: z.string().refine((tz) => IANAZone.isValidZone(tz), { message: 'is not an IANA time zone' }),
    days: z.number().int().min(1).max(14).default(1),
    guests: z.number().int().min(0),
    tradition: z.string().transform((s) => s.trim().toLowerCase()).default('british'),
    vendors: z.number().int().min(0).default(0),
  })
  .loose();

export const calendarSchema = z.object({ weddings: z.array(weddingSchema) });

export { CalendarFormatError };

export function parseJsonCalendar(text: string, origin: string, limits: ReadLimits = {}): CalendarRead {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CalendarFormatError(`${origin}: not JSON: ${(err as Error).message}`);
  }
  const entries = (raw as { weddings?: unknown } | null)?.weddings;
  if (!Array.isArray(entries)) throw new CalendarFormatError(`${origin}: weddings: expected an array of weddings (the format is {"weddings": [...]})`);
  const issues = new IssueCollector();
  const sink = new WeddingSink(origin, limits, issues);
  entries.forEach((entry: unknown, i) => {
    const r = weddingSchema.safeParse(entry);
    const rawId = (entry as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' && rawId !== '' ? rawId : null;
    if (!r.success) {
      issues.add({ event: i + 1, id, problem: r.error.issues.map((iss) => `weddings.${i}.${iss.path.join('.')}: ${iss.message}`).join('; '), skipped: true });
      return;
    }
    const { title, start, timezone, days, guests, tradition, vendors } = r.data;
    sink.add({ id: r.data.id, title, start, timezone, days, guests, tradition, vendors }, i + 1);
  });
  return { weddings: sink.weddings, issues: issues.issues, skipped: issues.skipped, noted: issues.noted };
}
