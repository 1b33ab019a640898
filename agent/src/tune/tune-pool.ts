/**
 * Runs tune's work in worker threads, one long-lived worker per core (each loads the agent once): first
 * one recording per target (a full replay, recorded-inputs.ts), then every candidate as the planner loop
 * over its target's recording (recorded-planner.ts). A worker is sent each recording once, before its
 * first candidate of that target. Results come back by job index, so the outcome does not depend on which
 * worker finished first. From TypeScript sources (tests under ts-jest) there is no compiled worker: the
 * jobs then run one after another in this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { recordInputs, type RecordedInputs, type RecordingJob } from './recorded-inputs';
import { playCandidate, type CandidatePlan } from './recorded-planner';

export interface PlayJob {
  /** Index of the target's recording. */
  recording: number;
  plan: CandidatePlan;
}

/** What the pool sends a worker; it answers `record` and `play` (a `load` only stores a recording). */
export type WorkerRequest = { record: RecordingJob } | { load: { index: number; recording: RecordedInputs } } | { play: PlayJob };
export type WorkerReply = { recording: RecordedInputs } | { replicas: Int32Array } | { error: string };

const WORKER = join(__dirname, 'tune-worker.js');

/** Each target's recording; `onDone` after each. */
export function recordAll(jobs: RecordingJob[], onDone: (finished: number) => void, threads = availableParallelism()): Promise<RecordedInputs[]> {
  return inWorkers(
    jobs.length,
    threads,
    (i) => [{ record: jobs[i] }],
    (r) => ('recording' in r ? r.recording : null),
    (i) => recordInputs(jobs[i]),
    onDone,
  );
}

/** Each candidate's schedule; `onDone` after each. */
export function playAll(recordings: RecordedInputs[], jobs: PlayJob[], onDone: (finished: number) => void, threads = availableParallelism()): Promise<Int32Array[]> {
  return inWorkers(
    jobs.length,
    threads,
    (i, held) => {
      const { recording } = jobs[i];
      const load: WorkerRequest[] = held.has(recording) ? [] : [{ load: { index: recording, recording: recordings[recording] } }];
      held.add(recording);
      return [...load, { play: jobs[i] }];
    },
    (r) => ('replicas' in r ? r.replicas : null),
    (i) => Promise.resolve(playCandidate(recordings[jobs[i].recording], jobs[i].plan)),
    onDone,
  );
}

/**
 * `count` jobs over up to `threads` workers. `requests(i, held)` says what to post for job i (`held`: what
 * that worker was already sent, for the caller to track); the last request of each job gets one reply.
 */
async function inWorkers<R>(
  count: number,
  threads: number,
  requests: (i: number, held: Set<number>) => WorkerRequest[],
  resultOf: (reply: WorkerReply) => R | null,
  inline: (i: number) => Promise<R>,
  onDone: (finished: number) => void,
): Promise<R[]> {
  const out = new Array<R>(count);
  let finished = 0;
  if (threads < 2 || count < 2 || !existsSync(WORKER)) {
    for (let i = 0; i < count; i++) {
      out[i] = await inline(i);
      onDone(++finished);
    }
    return out;
  }
  let next = 0;
  const lane = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER);
      const held = new Set<number>();
      let current = -1;
      const feed = () => {
        if (next >= count) {
          void worker.terminate().then(() => resolve());
          return;
        }
        current = next++;
        for (const r of requests(current, held)) worker.postMessage(r);
      };
      worker.on('message', (m: WorkerReply) => {
        const result = 'error' in m ? null : resultOf(m);
        if (result === null) {
          reject(new Error('error' in m ? m.error : 'tune worker: unexpected reply'));
          void worker.terminate();
          return;
        }
        out[current] = result;
        onDone(++finished);
        feed();
      });
      worker.once('error', reject);
      feed();
    });
  await Promise.all(Array.from({ length: Math.min(threads, count) }, lane));
  return out;
}
