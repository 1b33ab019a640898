/**
 * Replays candidates in worker threads, one long-lived worker per core (each loads the agent once), each
 * candidate a full `replayAgent` of the target's trace with its settings. Results come back by candidate
 * index, so the outcome does not depend on which worker finished first. From TypeScript sources (tests
 * under ts-jest) there is no compiled worker: the candidates then run one after another in this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LoadedConfig } from '../app/config-load';
import { replayAgent } from '../replay/run-replay';
import type { Trace } from '../replay/trace';

export interface TuneJob {
  trace: Trace;
  user: LoadedConfig;
}

const WORKER = join(__dirname, 'tune-worker.js');

/** Each job's agent schedule; `onDone` after every finished job. */
export async function replaySchedules(jobs: TuneJob[], onDone: (finished: number) => void, threads = availableParallelism()): Promise<Int32Array[]> {
  const out = new Array<Int32Array>(jobs.length);
  let finished = 0;
  const done = () => onDone(++finished);
  if (threads < 2 || jobs.length < 2 || !existsSync(WORKER)) {
    for (const [i, job] of jobs.entries()) {
      out[i] = (await replayAgent(job.trace, { user: job.user })).replicas;
      done();
    }
    return out;
  }
  let next = 0;
  const lane = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER);
      let current = -1;
      const feed = () => {
        if (next >= jobs.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        current = next++;
        worker.postMessage(jobs[current]);
      };
      worker.on('message', (m: { replicas?: Int32Array; error?: string }) => {
        if (m.error !== undefined) {
          reject(new Error(m.error));
          void worker.terminate();
          return;
        }
        out[current] = m.replicas!;
        done();
        feed();
      });
      worker.once('error', reject);
      feed();
    });
  await Promise.all(Array.from({ length: Math.min(threads, jobs.length) }, lane));
  return out;
}
