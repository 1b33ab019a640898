/**
 * Replays several targets at once: each target's replay is independent (its own Agent, clock and
 * in-memory cluster), so on a machine with several cores they run in worker threads, one per core. The
 * worker runs the very same `compareOnTrace`; when this module runs from TypeScript sources (tests under
 * ts-jest) there is no compiled worker file, and the replays run one after another in this thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LoadedConfig } from '../app/config-load';
import { compareOnTrace, type ReplaySummary } from '../replay/compare';
import type { Trace } from '../replay/trace';
import type { RuleChange } from '../replay/run-replay';

export interface ReplayJob {
  trace: Trace;
  user: LoadedConfig;
}

export interface ReplayOutcome {
  summary: ReplaySummary;
  agentReplicas: Int32Array;
  ruleChanges: RuleChange[];
}

const WORKER = join(__dirname, 'replay-worker.js');

/** Runs every job; `onProgress` gets the steps replayed so far over all jobs. */
export async function replayAll(jobs: ReplayJob[], onProgress: (stepsDone: number) => void, threads = availableParallelism()): Promise<ReplayOutcome[]> {
  const done = jobs.map(() => 0);
  const report = (i: number, k: number) => {
    done[i] = k;
    onProgress(done.reduce((a, b) => a + b, 0));
  };
  if (jobs.length < 2 || threads < 2 || !existsSync(WORKER)) {
    const out: ReplayOutcome[] = [];
    for (const [i, job] of jobs.entries()) out.push(await compareOnTrace(job.trace, { user: job.user, onProgress: (k) => report(i, k) }));
    return out;
  }
  const out = new Array<ReplayOutcome>(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await inWorker(jobs[i], (k) => report(i, k));
    }
  };
  await Promise.all(Array.from({ length: Math.min(threads, jobs.length) }, lane));
  return out;
}

function inWorker(job: ReplayJob, onProgress: (k: number) => void): Promise<ReplayOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: job });
    worker.on('message', (m: { progress?: number; result?: ReplayOutcome; error?: string }) => {
      if (m.progress !== undefined) onProgress(m.progress);
      if (m.error !== undefined) reject(new Error(m.error));
      if (m.result) resolve(m.result);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`replay worker exited with code ${code}`)));
  });
}
