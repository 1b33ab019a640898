/**
 * `--from` / `--to` of `backtest`: an ISO-8601 instant, `now`, or a time relative to now (`-28d`, `-12h`,
 * `-2w`, `-90m`). Instants are floored to the minute so the range lines up with the 60 s replay step.
 */
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function parseInstant(text: string, nowMs: number): number | null {
  const s = text.trim();
  if (s === 'now') return floorMinute(nowMs);
  const rel = /^-(\d+(?:\.\d+)?)([mhdw])$/.exec(s);
  if (rel) return floorMinute(nowMs - Number(rel[1]) * UNIT_MS[rel[2]]);
  // An instant needs an offset (Z or ±hh:mm): a wall time alone would depend on this machine's zone.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(s)) return null;
  const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
  return Number.isFinite(t) ? floorMinute(t) : null;
}

const floorMinute = (t: number) => Math.floor(t / 60_000) * 60_000;

export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** Both ends, or a message naming the option at fault. */
export function parseRange(from: string, to: string, nowMs: number): TimeRange | { error: string } {
  const hint = 'use an ISO-8601 instant with its offset (2027-06-01T00:00:00Z), a date (2027-06-01), now, or -28d / -12h / -2w / -90m';
  const fromMs = parseInstant(from, nowMs);
  if (fromMs === null) return { error: `--from: "${from}" is not a time (${hint})` };
  const toMs = parseInstant(to, nowMs);
  if (toMs === null) return { error: `--to: "${to}" is not a time (${hint})` };
  if (toMs <= fromMs) return { error: `--to (${new Date(toMs).toISOString()}) must be after --from (${new Date(fromMs).toISOString()})` };
  if (toMs > floorMinute(nowMs)) return { error: `--to (${new Date(toMs).toISOString()}) is in the future; a backtest replays history` };
  return { fromMs, toMs };
}
