/**
 * "The coming weekend": Saturday 00:00 to Monday 00:00 in the given zone (the wedding rules' season zone);
 * while a weekend is under way, from now to its Monday. Weddings are Saturday events in most zones the
 * product serves; pass from/to for a Friday or a long weekend.
 */
import { DateTime } from 'luxon';

export function comingWeekend(nowMs: number, zone: string): { fromMs: number; toMs: number } {
  const now = DateTime.fromMillis(nowMs, { zone });
  const day = now.startOf('day');
  // luxon weekdays: 1 = Monday … 6 = Saturday, 7 = Sunday.
  if (now.weekday === 6 || now.weekday === 7) return { fromMs: nowMs, toMs: day.plus({ days: 8 - now.weekday }).toMillis() };
  const saturday = day.plus({ days: 6 - now.weekday });
  return { fromMs: saturday.toMillis(), toMs: saturday.plus({ days: 2 }).toMillis() };
}
