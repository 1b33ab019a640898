/**
 * Parses a calendar off the main thread (issue 24, defect 5) unless it is small: a worker thread per read, started with its
 * own heap budget and ended when done, so the parse neither blocks the event loop (probes, /metrics, ticks)
 * nor leaves its garbage in the main heap. Only the packed calendar comes back, its buffers transferred.
 * A calendar that needs more memory than the worker's budget is refused with an error saying so, as one
 * over calendar.maxWeddings is. When this module runs from TypeScript sources (tests under ts-jest) there
 * is no compiled worker file, and the same parse runs on this thread, in slices.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseCalendarBytes, type ParseRequest, type ParsedCalendar } from './calendar-parse';

const WORKER = join(__dirname, 'calendar-parse-worker.js');

/** The reading worker's V8 heap budget: a calendar of calendar.maxWeddings fits with room to spare (BENCHMARKS.md, calendar memory). */
export const PARSE_WORKER_HEAP_MIB = 64;

/**
 * Calendars up to this size are parsed on this thread: a few hundred weddings parse in milliseconds (in
 * slices), while starting a worker (its own V8 heap, the readers and zod loaded again) takes ~0.3 s. A
 * replay's or a small wedding business's calendar is far below it; a feed that could strain the event
 * loop or the heap is far above.
 */
export const IN_THREAD_MAX_BYTES = 256 * 1024;

/** Whether parses run in a worker thread (false only from TypeScript sources). */
export const parsesOffThread = (): boolean => existsSync(WORKER);

export function parseOffThread(req: ParseRequest, heapMiB = PARSE_WORKER_HEAP_MIB): Promise<ParsedCalendar> {
  if (!parsesOffThread() || req.bytes.byteLength <= IN_THREAD_MAX_BYTES) return parseCalendarBytes(req);
  // Transfer the bytes when they own their whole buffer; a slice of a shared pool is copied instead.
  const owned = req.bytes.byteOffset === 0 && req.bytes.byteLength === req.bytes.buffer.byteLength;
  const bytes = owned ? req.bytes : new Uint8Array(req.bytes);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: { ...req, bytes },
      transferList: [bytes.buffer as ArrayBuffer],
      resourceLimits: { maxOldGenerationSizeMb: heapMiB, maxYoungGenerationSizeMb: 4 },
    });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: { result?: ParsedCalendar; error?: string }) =>
      settle(() => (m.result ? resolve(m.result) : reject(new Error(m.error ?? 'calendar parse worker answered nothing')))),
    );
    worker.once('error', (err: Error & { code?: string }) =>
      settle(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new Error(
                `${req.origin}: calendar needs more than the ${heapMiB} MiB the agent reads a calendar in (its memory budget); not applied, the last good calendar is kept (lower calendar.maxWeddings, or split the feed)`,
              )
            : err,
        ),
      ),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`calendar parse worker exited with code ${code}`))));
  });
}
