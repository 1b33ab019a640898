/**
 * A replay forecasting on a second thread (agent/src/replay/forecast-ahead.ts) against the same replay
 * forecasting on its own thread: the built agent (agent/dist, where the worker thread's compiled script
 * exists), a three-week synthetic trace (daily and weekly profile, a wedding, withheld readings), decisions
 * compared minute by minute. The unit tests (forecast-ahead.test.ts) run the worker's code in-thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const DIST = join(__dirname, '../agent/dist');
/* eslint-disable @typescript-eslint/no-require-imports -- the compiled agent, typed by its sources */
const load = <T>(module: string): T => require(join(DIST, module)) as T;

describe('replay with the forecast worked out ahead on a worker thread (built agent)', () => {
  it('decides exactly as the replay forecasting on its own thread, on every minute', async () => {
    expect(existsSync(join(DIST, 'replay/forecast-ahead-worker.js'))).toBe(true); // npm test builds first
    const { readTrace } = load<typeof import('../agent/src/replay/trace')>('replay/trace.js');
    const { replayAgent } = load<typeof import('../agent/src/replay/run-replay')>('replay/run-replay.js');
    const { createForecaster } = load<typeof import('../agent/src/forecast/seasonal-calendar-forecaster')>('forecast/seasonal-calendar-forecaster.js');
    const demo = readTrace(join(__dirname, '../agent/demo/trace'));
    const minutes = 22 * 1440;
    const demand = Float64Array.from({ length: minutes }, (_, k) => {
      const day = Math.floor(k / 1440) % 7;
      const wave = 300 + 250 * Math.sin((2 * Math.PI * (k % 1440)) / 1440 - 1.8);
      return Math.round(100 * (wave * (day === 5 ? 1.6 : 1) + ((k * 7919) % 41))) / 100 + (k >= 30_000 && k < 30_090 ? 900 : 0);
    });
    // Withheld readings (a source outage, and the odd minute): the plan must know the agent is not shown them.
    const missing = Uint8Array.from({ length: minutes }, (_, k) => (k % 211 === 17 || (k >= 12_000 && k < 12_020) ? 1 : 0));
    const trace = { ...demo, demand, missing, meta: { ...demo.meta, minutes } };

    const ahead = await replayAgent(trace);
    const own = await replayAgent(trace, { newForecaster: () => createForecaster({ pointMemory: true }) });
    expect(ahead.stepsForecastAhead).toBe(minutes);
    expect(own.stepsForecastAhead).toBe(0);
    expect(ahead.forecastMethod).toBe('weekly-median+level+calendar');
    expect(Buffer.from(ahead.replicas.buffer).equals(Buffer.from(own.replicas.buffer))).toBe(true);
    expect(ahead.rules).toEqual(own.rules);
    expect(new Set(ahead.replicas).size).toBeGreaterThan(5); // it did scale
  });
});
