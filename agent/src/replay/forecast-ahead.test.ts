import { Worker } from 'node:worker_threads';
import { weddingRulesSchema } from '../config/schema';
import { indexCalendar } from '../calendar/rules';
import { WeddingLoadTable } from '../calendar/wedding-load-table';
import type { Forecast, ForecastContext } from '../forecast/forecaster';
import { createForecaster } from '../forecast/seasonal-calendar-forecaster';
import { ForecastAhead, produceForecasts, type ForecastPlan, type ForecastWorker } from './forecast-ahead';
import { openRing, type RingBuffers, type RingLayout } from './forecast-ahead-ring';

const MIN = 60_000;
const start = Date.parse('2027-06-01T00:00:00Z');
const steps = 4 * 1440;
const index = indexCalendar(
  {
    weddings: ['2027-06-02T14:00:00+01:00', '2027-06-04T16:00:00+01:00'].map((s, i) => ({
      id: `w${i}`,
      title: 'w',
      start: s,
      timezone: 'Europe/London',
      days: 1,
      guests: 200,
      tradition: 'british',
      vendors: 4,
    })),
  },
  weddingRulesSchema.parse({}),
);
const table = new WeddingLoadTable(index, [], start, MIN, steps + 60);
const context: ForecastContext = { expectedWeddingLoad: table.at, weddingFree: table.weddingFree };
const demand = Float64Array.from({ length: steps }, (_, k) => 100 + 60 * Math.sin((2 * Math.PI * k) / 1440) + ((k * 7919) % 13) + table.at(start + k * MIN));
// Withheld readings: a short outage and every 97th minute.
const pushed = Uint8Array.from({ length: steps }, (_, k) => (k % 97 === 5 || (k >= 2000 && k < 2030) ? 0 : 1));
const observed = Float64Array.from(demand, (v, k) => (pushed[k] ? v : NaN));
const plan: Omit<ForecastPlan, 'grid'> = { startMs: start, stepMs: MIN, observed, forecastStepMs: MIN, forecastPoints: 12, options: { pointMemory: true } };

/** The worker, in this thread: every forecast worked out when the table comes, before the first is read (the ring holds them all). */
const inThread = (plan: Omit<ForecastPlan, 'grid'>, buffers: RingBuffers, layout: RingLayout): ForecastWorker => ({
  thread: { terminate: () => Promise.resolve(0) } as unknown as Worker,
  begin: (grid) => produceForecasts({ ...plan, grid }, openRing(buffers, layout)),
});

/** The agent's calls, step by step: observe what is pushed (as `observed` says), then forecast. */
function play(
  forecaster: { observe(t: number, v: number): void; forecast(f: number, s: number, n: number, c: ForecastContext): Forecast },
  observed: (k: number) => number | null,
): Forecast[] {
  const out: Forecast[] = [];
  for (let k = 0; k < steps; k++) {
    const t = start + k * MIN;
    const v = observed(k);
    if (v !== null) forecaster.observe(t, v);
    out.push(forecaster.forecast(t, MIN, 12, context));
  }
  return out;
}

const asPlanned = (k: number): number | null => (pushed[k] ? demand[k] : null);

describe('ForecastAhead (a replay forecasting on a second thread; here the worker runs in this thread)', () => {
  it('serves every planned forecast from the ring, equal to the forecaster asked directly', () => {
    const ahead = new ForecastAhead(plan, inThread, { ringSlots: steps });
    ahead.begin(context, table.grid());
    const served = play(ahead, asPlanned);
    expect(served).toEqual(play(createForecaster({ pointMemory: true }), asPlanned));
    expect(ahead.stepsForecastAhead).toBe(steps);
    expect(new Set(served.map((f) => f.method)).size).toBeGreaterThan(1); // level-only, then the daily profile
  });

  it('leaves the plan at the first call that differs (a reading the agent did not observe), with the same forecasts', () => {
    const ahead = new ForecastAhead(plan, inThread, { ringSlots: steps });
    ahead.begin(context, table.grid());
    const skipped = (k: number): number | null => (k === 3000 ? null : asPlanned(k));
    expect(play(ahead, skipped)).toEqual(play(createForecaster({ pointMemory: true }), skipped));
    expect(ahead.stepsForecastAhead).toBe(3000);
  });

  it('leaves the plan where the worker cannot answer a calendar question from the table', () => {
    const short = new WeddingLoadTable(index, [], start, MIN, 2 * 1440);
    const ahead = new ForecastAhead(plan, inThread, { ringSlots: steps });
    ahead.begin(context, short.grid());
    expect(play(ahead, asPlanned)).toEqual(play(createForecaster({ pointMemory: true }), asPlanned));
    expect(ahead.stepsForecastAhead).toBeGreaterThan(0);
    expect(ahead.stepsForecastAhead).toBeLessThan(2 * 1440);
  });

  it('does not plan without a worker: every forecast is the replay thread’s own', () => {
    const ahead = new ForecastAhead(plan, () => null, { ringSlots: steps });
    ahead.begin(context, table.grid());
    expect(play(ahead, asPlanned).slice(-3)).toEqual(play(createForecaster({ pointMemory: true }), asPlanned).slice(-3));
    expect(ahead.stepsForecastAhead).toBe(0);
  });

  it('does not wait on a worker that died: after its patience the replay forecasts on its own', () => {
    const dying = (): ForecastWorker => ({
      thread: new Worker('throw new Error("worker failed to start")', { eval: true }).on('error', () => undefined),
      begin: () => undefined,
    });
    const ahead = new ForecastAhead(plan, dying, { ringSlots: steps, patienceMs: 1000 });
    ahead.begin(context, table.grid());
    const started = Date.now();
    expect(play(ahead, asPlanned).slice(-3)).toEqual(play(createForecaster({ pointMemory: true }), asPlanned).slice(-3));
    expect(ahead.stepsForecastAhead).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000); // waited its patience (1 s) once, then went on alone
  });
});
