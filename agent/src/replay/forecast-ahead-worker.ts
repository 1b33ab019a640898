/** The worker thread of forecast-ahead.ts: plays a replay's planned forecaster calls into the shared ring. */
import { isMainThread, workerData } from 'node:worker_threads';
import { produceForecasts, type ForecastPlan } from './forecast-ahead';
import { ABANDONED, openRing, PRODUCED, type RingBuffers, type RingLayout } from './forecast-ahead-ring';

if (!isMainThread) {
  const { plan, buffers, layout } = workerData as { plan: ForecastPlan; buffers: RingBuffers; layout: RingLayout };
  const ring = openRing(buffers, layout);
  try {
    produceForecasts(plan, ring);
  } catch {
    // Whatever failed, the replay must not wait for forecasts that will not come: it works them out itself.
    Atomics.store(ring.header, ABANDONED, Atomics.load(ring.header, PRODUCED));
    Atomics.notify(ring.header, PRODUCED);
  }
}
