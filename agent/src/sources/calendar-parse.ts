/**
 * A calendar source's bytes → its upcoming weddings, packed (calendar/compact-calendar.ts), with the
 * fingerprint of its text and what the reader found wrong. This is the work that blocked the main thread
 * for seconds on 100k weddings (decoding, reading, the time-zone expansion): it runs in a worker thread
 * (calendar-parse-worker.ts), and only the packed result comes back.
 */
import { createHash } from 'node:crypto';
import type { CalendarIssue } from '../calendar/calendar-issues';
import { packCalendar, type CompactCalendar } from '../calendar/compact-calendar';
import { readCalendarInSlices } from './calendar-indexer';

export interface ParseRequest {
  format: 'json' | 'ical';
  bytes: Uint8Array;
  /** The source's name (redacted location), for messages. */
  origin: string;
  /** Weddings over before this instant are dropped. */
  keepAfterMs: number;
  /** More upcoming weddings than this: refused (calendar.maxWeddings). */
  maxWeddings: number;
}

export interface ParsedCalendar {
  fingerprint: string;
  calendar: CompactCalendar;
  issues: CalendarIssue[];
  skipped: number;
  noted: number;
}

/** First 16 hex digits of the SHA-256 of a calendar's text. */
export const fingerprintOf = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

export async function parseCalendarBytes(req: ParseRequest): Promise<ParsedCalendar> {
  const text = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength).toString('utf8');
  const { weddings, issues, skipped, noted } = await readCalendarInSlices(req.format, text, req.origin, {
    keepAfterMs: req.keepAfterMs,
    maxWeddings: req.maxWeddings,
  });
  return { fingerprint: fingerprintOf(text), calendar: packCalendar(weddings), issues, skipped, noted };
}
