/**
 * Which IANA zone an iCalendar TZID means. Feeds name zones three ways:
 * - an IANA name (`Europe/London`), sometimes behind a vendor prefix (`/citadel.org/20190914_1/Europe/Berlin`);
 * - a Windows name (`Eastern Standard Time`), as Outlook and Exchange export: mapped through CLDR's
 *   windowsZones table (the `windows-iana` package carries it), territory 001 (the zone Windows means);
 * - anything else, with a VTIMEZONE block giving its rules.
 * A VTIMEZONE block is honoured for the instant whenever the name is not IANA: it is what the exporting
 * calendar meant. Without a block or a known name the zone is unknown and the event is refused: never
 * silently UTC.
 */
import { isIanaZone } from './zone-cache';
import { findIana } from 'windows-iana';

/** An IANA zone name for `tzid`, or null: the name itself, a suffix of a prefixed name, or the CLDR Windows mapping. */
export function ianaZoneFor(tzid: string): { zone: string; via: 'iana' | 'windows' } | null {
  const name = tzid.trim().replace(/^"(.*)"$/, '$1');
  if (name !== '' && isIanaZone(name)) return { zone: name, via: 'iana' };
  // Vendor-prefixed IANA names: try the last three, then two path segments (America/Argentina/Salta, Europe/Berlin).
  const parts = name.split('/').filter(Boolean);
  for (const n of [3, 2]) {
    const tail = parts.slice(-n).join('/');
    if (parts.length > n && isIanaZone(tail)) return { zone: tail, via: 'iana' };
  }
  const windows = findIana(name).find((z) => isIanaZone(z));
  return windows ? { zone: windows, via: 'windows' } : null;
}

/**
 * An IANA zone with a fixed offset (`Etc/GMT+5` is UTC−5: POSIX signs), for a VTIMEZONE with an unknown
 * name; null when the offset is not whole hours (no IANA name has it).
 */
export function fixedOffsetZone(offsetSeconds: number): string | null {
  if (offsetSeconds % 3600 !== 0 || Math.abs(offsetSeconds) > 14 * 3600) return null;
  const h = offsetSeconds / 3600;
  return h === 0 ? 'Etc/UTC' : `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`;
}
