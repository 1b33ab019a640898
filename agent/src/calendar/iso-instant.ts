/**
 * The instant of an ISO-8601 timestamp with a UTC offset, NaN when it is not one. The common, complete
 * form (2027-06-05T14:00:00+01:00) is read by Date.parse, which is exact for it and about fifty times
 * faster than luxon (it mattered at 100k weddings); every other form luxon accepts is read by luxon.
 */
import { DateTime } from 'luxon';

const COMPLETE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-]\d\d:\d\d)$/;

export function isoInstant(s: string): number {
  if (COMPLETE.test(s)) {
    const ms = Date.parse(s);
    // Date.parse rolls 2027-02-30 over into March where luxon refuses it: let luxon judge odd dates.
    if (Number.isFinite(ms) && Number(s.slice(8, 10)) <= 28 && Number(s.slice(11, 13)) <= 23) return ms;
  }
  const at = DateTime.fromISO(s, { setZone: true });
  return at.isValid ? at.toMillis() : NaN;
}
