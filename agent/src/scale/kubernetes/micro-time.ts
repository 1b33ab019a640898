/**
 * Lease times are MicroTime: RFC 3339 with microseconds ("2026-06-13T14:00:00.123456Z"). The JS client
 * hands them back as strings (RECIPES.md), and other writers may send fewer or no fraction digits or an
 * offset, so parsing is explicit rather than left to Date's lenient parser.
 */
const MICRO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch, or null for a missing or malformed value. */
export function parseMicroTime(value: unknown): number | null {
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : null;
  if (typeof value !== 'string') return null;
  const m = MICRO_TIME.exec(value.trim());
  if (!m) return null;
  const ms = (m[2] ?? '').padEnd(3, '0').slice(0, 3);
  const t = Date.parse(`${m[1]}.${ms}${m[3]}`);
  return Number.isFinite(t) ? t : null;
}

/** The server's own format: six fraction digits, UTC. */
export function formatMicroTime(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
