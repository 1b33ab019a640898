/** A worker thread of tune-pool.ts: records a target's replay, or plays a candidate over a recording it was sent. */
import { parentPort } from 'node:worker_threads';
import { recordInputs, type RecordedInputs } from './recorded-inputs';
import { playCandidate } from './recorded-planner';
import type { WorkerReply, WorkerRequest } from './tune-pool';

if (parentPort) {
  const port = parentPort;
  const recordings = new Map<number, RecordedInputs>();
  const reply = (m: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  port.on('message', (m: WorkerRequest) => {
    if ('load' in m) {
      recordings.set(m.load.index, m.load.recording);
      return;
    }
    if ('record' in m) {
      recordInputs(m.record).then(
        (recording) => reply({ recording }),
        (err: Error) => reply({ error: err.message }),
      );
      return;
    }
    try {
      const replicas = playCandidate(recordings.get(m.play.recording)!, m.play.plan);
      reply({ replicas }, [replicas.buffer as ArrayBuffer]);
    } catch (err) {
      reply({ error: (err as Error).message });
    }
  });
}
