/**
 * Reading and indexing a calendar in slices, yielding to the event loop between them: a 100k-wedding
 * calendar read and indexed in one go blocked the agent's event loop for 18 s (probes, /metrics and
 * ticks all waited). Each slice works until a time budget is spent, then lets everything else run.
 */
import type { WeddingRules } from '../config/schema';
import type { WeddingCalendar, WeddingDay } from '../calendar/model';
import { expandWedding, indexFromDays, type CalendarIndex } from '../calendar/rules';
import type { CalendarRead } from '../calendar/calendar-issues';
import { IcalStreamReader } from '../calendar/ical-reader';
import { JsonCalendarReader } from '../calendar/json-reader';
import type { ReadLimits } from '../calendar/wedding-sink';

/** Work per slice before yielding: well under the 100 ms an event-loop block may last. */
export const SLICE_MS = 15;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs `step(n)` until it says done, yielding whenever a slice has used its time budget. */
async function inSlices(step: (n: number) => boolean, unit: number): Promise<void> {
  let sliceStart = performance.now();
  while (!step(unit)) {
    if (performance.now() - sliceStart >= SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
}

/** A calendar text read in slices (iCalendar 16 KiB of text at a time, JSON 200 entries at a time). */
export async function readCalendarInSlices(format: 'json' | 'ical', text: string, origin: string, limits: ReadLimits): Promise<CalendarRead> {
  if (format === 'json') {
    const reader = new JsonCalendarReader(text, origin, limits);
    await inSlices((n) => reader.step(n), 200);
    return reader.result();
  }
  const reader = new IcalStreamReader(origin, limits);
  let pos = 0;
  const CHUNK = 16 * 1024;
  await inSlices(() => {
    reader.push(text.slice(pos, pos + CHUNK));
    pos += CHUNK;
    return pos >= text.length;
  }, 1);
  return reader.end();
}

/** indexCalendar, with the weddings expanded in slices (the luxon work) before the one sort. */
export async function indexCalendarInSlices(cal: WeddingCalendar, rules: WeddingRules): Promise<CalendarIndex> {
  const days: WeddingDay[] = [];
  let next = 0;
  await inSlices((n) => {
    const end = Math.min(cal.weddings.length, next + n);
    for (; next < end; next++) for (const d of expandWedding(cal.weddings[next], rules)) days.push(d);
    return next >= cal.weddings.length;
  }, 100);
  return indexFromDays(days, rules);
}
