/** TargetPipeline.project: the capacity plan's projection, on the plan's grid, from a forecast whose origin is now. */
import { indexCalendar } from '../calendar/rules';
import { configSchema } from '../app/config-schema';
import type { Forecast, ForecastContext, Forecaster } from '../forecast/forecaster';
import { AgentState } from '../state';
import { TargetPipeline, type PipelineDeps } from '../engine/target-pipeline';
import { silentLogger } from '../util/logger';
import { Registry } from 'prom-client';
import { createAgentMetrics } from '../metrics/agent-metrics';

const MIN = 60_000;
const NOW = Date.parse('2027-06-02T10:07:30Z');

/** A forecaster whose value at t is t in minutes after NOW (so a value says where it was read). */
class Ramp implements Forecaster {
  origins: number[] = [];
  observe(): void {}
  forecast(fromMs: number, stepMs: number, steps: number, _ctx: ForecastContext): Forecast {
    this.origins.push(fromMs);
    return {
      method: 'ramp',
      coldStart: false,
      points: Array.from({ length: steps }, (_, k) => ({ tMs: fromMs + (k + 1) * stepMs, value: (fromMs + (k + 1) * stepMs - NOW) / MIN, lower: 0, upper: 0 })),
    };
  }
}

test('origin now (never before the last reading); a grid instant between forecast points takes the higher one', () => {
  const config = configSchema.parse({
    sources: { push: { type: 'push' } },
    targets: [{ id: 'api', kubernetes: { namespace: 'n', name: 'api' }, load: { source: 'push', query: 'x' }, capacityPerPod: 10, maxReplicas: 5 }],
  });
  const state = new AgentState(
    { version: 't', cluster: 'c', mode: 'dry-run', leader: true, startedAtMs: 0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: true },
    config.targets,
    indexCalendar({ weddings: [] }, config.wedding),
  );
  const forecaster = new Ramp();
  const metrics = createAgentMetrics(state, new Registry());
  const pipeline = new TargetPipeline(state.targets.get('api')!, { config, state, forecaster, metrics, logger: silentLogger } as unknown as PipelineDeps);
  const start = Date.parse('2027-06-05T00:00:00Z');
  const { values, method } = pipeline.project(NOW, start, 5 * MIN, 3);
  expect(method).toBe('ramp');
  expect(forecaster.origins).toEqual([NOW]);
  // Forecast points lie at NOW + 5k min (…:07:30, …:12:30); the grid at :00, :05, :10 takes the next one up.
  const minutesToStart = (start - NOW) / MIN;
  expect(values).toEqual([minutesToStart + 2.5, minutesToStart + 7.5, minutesToStart + 12.5]);
  // A window that starts now: the first point (one step ahead) stands for it.
  expect(pipeline.project(NOW, NOW, 5 * MIN, 2).values).toEqual([5, 5]);
});
