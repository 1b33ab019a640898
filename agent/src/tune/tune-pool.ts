/**
 * Runs tune's work in worker threads, one long-lived worker per core (each loads the agent once): one
 * recording per target (a full replay, recorded-inputs.ts), and every candidate as the planner loop over
 * its target's recording (recorded-planner.ts). A free worker takes the next recording if any is left,
 * else the next candidate whose recording is ready (so candidates of one target play while another target
 * is still being recorded), else waits for a recording. A worker is sent each recording once, before its
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

/** Each candidate's schedule (by play job); `onDone` with the number of jobs (recordings and candidates) finished. */
export async function runTuneJobs(
  recordingJobs: RecordingJob[],
  playJobs: PlayJob[],
  onDone: (finished: number) => void,
  threads = availableParallelism(),
): Promise<Int32Array[]> {
  const recordings = new Array<RecordedInputs>(recordingJobs.length);
  const schedules = new Array<Int32Array>(playJobs.length);
  let finished = 0;
  if (threads < 2 || playJobs.length < 2 || !existsSync(WORKER)) {
    for (const [i, job] of recordingJobs.entries()) {
      recordings[i] = await recordInputs(job);
      onDone(++finished);
    }
    for (const [i, job] of playJobs.entries()) {
      schedules[i] = playCandidate(recordings[job.recording], job.plan);
      onDone(++finished);
    }
    return schedules;
  }
  let nextRecording = 0;
  const played = new Array<boolean>(playJobs.length).fill(false);
  let unplayed = playJobs.length;
  let failed = false;
  /** Lanes waiting for a recording to finish. */
  const parked: Array<() => void> = [];
  const wake = () => parked.splice(0).forEach((f) => f());
  const lane = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER);
      const held = new Set<number>();
      let done: (reply: WorkerReply) => void = () => undefined;
      const fail = (err: Error) => {
        failed = true;
        wake();
        void worker.terminate();
        reject(err);
      };
      const ask = (request: WorkerRequest, onReply: (reply: WorkerReply) => void) => {
        done = (reply) => ('error' in reply ? fail(new Error(reply.error)) : onReply(reply));
        worker.postMessage(request);
      };
      const feed = () => {
        if (failed) return void worker.terminate().then(() => resolve());
        if (nextRecording < recordingJobs.length) {
          const i = nextRecording++;
          return ask({ record: recordingJobs[i] }, (r) => {
            if (!('recording' in r)) return fail(new Error('tune worker: expected a recording'));
            recordings[i] = r.recording;
            onDone(++finished);
            wake();
            feed();
          });
        }
        const j = played.findIndex((p, k) => !p && recordings[playJobs[k].recording] !== undefined);
        if (j < 0) {
          if (unplayed === 0) return void worker.terminate().then(() => resolve());
          return void parked.push(feed);
        }
        played[j] = true;
        unplayed--;
        const r = playJobs[j].recording;
        if (!held.has(r)) worker.postMessage({ load: { index: r, recording: recordings[r] } } satisfies WorkerRequest);
        held.add(r);
        ask({ play: playJobs[j] }, (reply) => {
          if (!('replicas' in reply)) return fail(new Error('tune worker: expected a schedule'));
          schedules[j] = reply.replicas;
          onDone(++finished);
          feed();
        });
      };
      worker.on('message', (m: WorkerReply) => done(m));
      worker.once('error', fail);
      feed();
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, recordingJobs.length + playJobs.length)) }, lane));
  return schedules;
}
