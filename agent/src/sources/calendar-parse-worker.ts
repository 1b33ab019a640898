/** The worker thread of calendar-parse-pool.ts: one source's bytes parsed and packed, the result's buffers transferred back. */
import { parentPort, workerData } from 'node:worker_threads';
import { transferList } from '../calendar/compact-calendar';
import { parseCalendarBytes, type ParseRequest } from './calendar-parse';

if (parentPort) {
  const port = parentPort;
  parseCalendarBytes(workerData as ParseRequest).then(
    (result) => port.postMessage({ result }, transferList(result.calendar)),
    (err: Error) => port.postMessage({ error: err.message }),
  );
}
