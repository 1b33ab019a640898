/** A worker thread of replay-pool.ts: one target's `compareOnTrace`, progress and result posted back. */
import { parentPort, workerData } from 'node:worker_threads';
import { compareOnTrace } from '../replay/compare';
import type { ReplayJob } from './replay-pool';

if (parentPort) {
  const port = parentPort;
  const job = workerData as ReplayJob;
  compareOnTrace(job.trace, { user: job.user, onProgress: (k) => port.postMessage({ progress: k }) }).then(
    (result) => port.postMessage({ result }),
    (err: Error) => port.postMessage({ error: err.message }),
  );
}
