/** A worker thread of tune-pool.ts: replays each candidate it is sent and posts its schedule back. */
import { parentPort } from 'node:worker_threads';
import { replayAgent } from '../replay/run-replay';
import type { TuneJob } from './tune-pool';

if (parentPort) {
  const port = parentPort;
  port.on('message', (job: TuneJob) => {
    replayAgent(job.trace, { user: job.user }).then(
      (r) => port.postMessage({ replicas: r.replicas }, [r.replicas.buffer as ArrayBuffer]),
      (err: Error) => port.postMessage({ error: err.message }),
    );
  });
}
