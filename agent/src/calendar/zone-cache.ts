/**
 * Whether a name is an IANA zone, remembered. Luxon's IANAZone.isValidZone builds an Intl.DateTimeFormat
 * on every call (about a millisecond and some ICU memory each): asked once per wedding, it made a
 * 1,000-wedding calendar take seconds to read. A calendar names few zones; each is checked once.
 */
import { IANAZone } from 'luxon';

const known = new Map<string, boolean>();

export function isIanaZone(name: string): boolean {
  let valid = known.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    // Bounded: a feed full of made-up names cannot grow it without end.
    if (known.size < 5_000) known.set(name, valid);
  }
  return valid;
}
