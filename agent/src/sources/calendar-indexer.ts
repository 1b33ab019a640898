/**
 * Reading a calendar in slices, yielding to the event loop between them. The agent reads calendars in a
 * worker thread (calendar-parse-pool.ts), where this only keeps the worker responsive; it matters where a
 * calendar is read on the main thread (no compiled worker: tests under ts-jest).
 */
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
