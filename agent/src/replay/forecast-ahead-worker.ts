/** The worker thread of forecast-ahead.ts: plays a replay's planned forecaster calls into the shared ring. */
import { isMainThread, workerData } from 'node:worker_threads';
import { produceForecasts, type ForecastPlan } from './forecast-ahead';
import { openRing, type RingBuffers, type RingLayout } from './forecast-ahead-ring';

if (!isMainThread) {
  const { plan, buffers, layout } = workerData as { plan: ForecastPlan; buffers: RingBuffers; layout: RingLayout };
  produceForecasts(plan, openRing(buffers, layout));
}
