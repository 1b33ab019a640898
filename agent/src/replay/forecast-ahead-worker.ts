/**
 * The worker thread of forecast-ahead.ts: loads while the replay reads its calendar, then, sent the
 * replay's wedding-load table, plays the planned forecaster calls into the shared ring.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { WeddingLoadGrid } from '../calendar/wedding-load-table';
import { produceForecasts, type ForecastPlan } from './forecast-ahead';
import { ABANDONED, openRing, PRODUCED, type RingBuffers, type RingLayout } from './forecast-ahead-ring';

if (!isMainThread && parentPort) {
  const { plan, buffers, layout } = workerData as { plan: Omit<ForecastPlan, 'grid'>; buffers: RingBuffers; layout: RingLayout };
  const ring = openRing(buffers, layout);
  parentPort.once('message', ({ grid }: { grid: WeddingLoadGrid }) => {
    try {
      produceForecasts({ ...plan, grid }, ring);
    } catch {
      // Whatever failed, the replay must not wait for forecasts that will not come: it works them out itself.
      Atomics.store(ring.header, ABANDONED, Atomics.load(ring.header, PRODUCED));
      Atomics.notify(ring.header, PRODUCED);
    }
  });
}
