/** Reads the JSON calendar format (`{"weddings":[…]}`, as in the shared traces). */
import { z } from 'zod';
import { IANAZone, DateTime } from 'luxon';
import type { WeddingCalendar } from './model';

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

export class CalendarFormatError extends Error {
  override name = 'CalendarFormatError';
}

export function parseJsonCalendar(text: string, origin: string): WeddingCalendar {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new CalendarFormatError(`${origin}: not JSON: ${(err as Error).message}`);
  }
  const r = calendarSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new CalendarFormatError(`${origin}: ${first.join('; ')}`);
  }
  return { weddings: r.data.weddings.map(({ id, title, start, timezone, days, guests, tradition, vendors }) => ({ id, title, start, timezone, days, guests, tradition, vendors })) };
}
