/**
 * Freshness from the sample's own time, against a real Prometheus (Debian `prometheus`) holding
 * promtool-backfilled history that stops at LAST. Queried three minutes after LAST, an instant query still
 * answers with the last value (the 5-minute lookback) stamped with the evaluation time: the reading must
 * carry LAST as its time, so the agent sees it as stale and holds instead of scaling down on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { indexCalendar } from '../agent/src/calendar/rules';
import { configSchema } from '../agent/src/app/config-schema';
import { EwmaDetector } from '../agent/test-support/ewma-detector';
import { LevelPlusCalendarForecaster } from '../agent/test-support/level-plus-calendar-forecaster';
import { ControlLoop } from '../agent/src/engine/loop';
import { createAgentMetrics } from '../agent/src/metrics/agent-metrics';
import { InMemoryScaler } from '../agent/src/scale/in-memory-scaler';
import { PrometheusSource } from '../agent/src/sources/prometheus-source';
import { AgentState } from '../agent/src/state';
import { ManualClock } from '../agent/src/util/clock';
import { silentLogger } from '../agent/src/util/logger';
import { startPrometheusWithHistory, type HistoryPrometheus } from './support/prometheus-history';

const MIN = 60_000;
/** A Tuesday 12:00 UTC well in the past (no weddings, no season in the config below). */
const LAST = (() => {
  const d = Math.floor((Date.now() - 10 * 86_400_000) / 86_400_000) * 86_400_000;
  return d - ((new Date(d).getUTCDay() - 2 + 7) % 7) * 86_400_000 + 12 * 3_600_000;
})();
const minutes = (n: number, value: (k: number) => number): Array<[number, number]> => Array.from({ length: n }, (_, k) => [LAST - (n - 1 - k) * MIN, value(k)]);

describe('Prometheus source: freshness from the sample time (real Prometheus, backfilled history)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-freshness-'));
  let prom: HistoryPrometheus;

  beforeAll(async () => {
    prom = await startPrometheusWithHistory(dir, [
      // 600 req/s for an hour, then 50 in the very last sample: what a stalled Prometheus keeps serving.
      { name: 'load_rps', type: 'gauge', labels: { service: 'api' }, points: minutes(60, (k) => (k === 59 ? 50 : 600)) },
      { name: 'requests', type: 'counter', labels: { service: 'api' }, points: minutes(60, (k) => k * 60 * 30) },
      // A second series that stopped four minutes before LAST.
      { name: 'pods_ready', type: 'gauge', labels: { service: 'api' }, points: minutes(60, () => 4).map(([t, v]): [number, number] => [t - 4 * MIN, v]) },
    ]);
  }, 60_000);
  afterAll(async () => {
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const target = (query: string, staleAfterSeconds = 120) =>
    configSchema.parse({
      sources: { prom: { type: 'prometheus', url: prom.url, staleAfterSeconds } },
      policy: { scaleDownStabilizationSeconds: 0 },
      targets: [
        {
          id: 'api',
          kubernetes: { namespace: 'a', name: 'api' },
          load: { source: 'prom', query },
          capacityPerPod: 10,
          targetUtilization: 1,
          minReplicas: 1,
          maxReplicas: 100,
          podStartupSeconds: 60,
        },
      ],
    });

  test('a value served from the lookback carries its own sample time, not the evaluation time', async () => {
    const source = new PrometheusSource({ url: prom.url, timeoutSeconds: 5 });
    const gauge = target('sum(load_rps{service="api"})').targets[0];
    expect(await source.read(gauge, LAST + 3 * MIN)).toEqual({ ok: true, value: 50, atMs: LAST });
    expect(await source.read(gauge, LAST - 10 * MIN + 20_000)).toEqual({ ok: true, value: 600, atMs: LAST - 10 * MIN });
    // rate() over a 5-minute window still answers 3 minutes after the last sample.
    expect(await source.read(target('sum(rate(requests_total{service="api"}[5m]))').targets[0], LAST + 3 * MIN)).toEqual({
      ok: true,
      value: expect.any(Number),
      atMs: LAST,
    });
    // Two series: the reading is as old as the stalest one.
    expect(await source.read(target('sum(load_rps) / sum(pods_ready)').targets[0], LAST + MIN)).toEqual({ ok: true, value: 12.5, atMs: LAST - 4 * MIN });
    // A series with no sample in the lookback at all: not trusted, whatever the rest of the query makes of it.
    expect(await source.read(target('sum(load_rps) + (sum(pods_ready) or vector(0))').targets[0], LAST + 3 * MIN)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^stale: /),
    });
    // No series read: the evaluation time is all there is.
    expect(await source.read(target('vector(7)').targets[0], LAST)).toEqual({ ok: true, value: 7, atMs: LAST });
  });

  test('the agent holds on a stale value served as fresh: no scale-down', async () => {
    const config = target('sum(load_rps{service="api"})');
    const clock = new ManualClock(LAST - 2 * MIN);
    const state = new AgentState(
      {
        version: 't',
        cluster: 'c',
        mode: 'dry-run',
        leader: true,
        startedAtMs: clock.nowMs,
        lastTickMs: null,
        lastTickDurationMs: null,
        ticks: 0,
        ready: false,
      },
      config.targets,
      indexCalendar({ weddings: [] }, config.wedding),
    );
    const scaler = new InMemoryScaler(clock.now);
    const loop = new ControlLoop({
      config,
      state,
      sources: { prom: new PrometheusSource({ url: prom.url, timeoutSeconds: 5 }) },
      scaler,
      clock: clock.now,
      metrics: createAgentMetrics(state, new Registry()),
      logger: silentLogger,
      newDetector: () => new EwmaDetector(),
      newForecaster: () => new LevelPlusCalendarForecaster(),
    });
    for (let i = 0; i < 2; i++, clock.advance(MIN)) await loop.tick();
    const api = state.targets.get('api')!;
    expect(api.decision?.desiredReplicas).toBe(60);
    expect((await scaler.read(config.targets[0])).replicas).toBe(60);
    // Three minutes after the last sample Prometheus still answers 50 (→ 5 pods): a stale reading.
    clock.advance(3 * MIN);
    expect(clock.nowMs).toBe(LAST + 3 * MIN);
    await loop.tick();
    expect(api.observed).toEqual({ value: 50, atMs: LAST });
    expect(api.stale).toBe(true);
    expect(api.decision).toMatchObject({ holding: true, desiredReplicas: 60 });
    expect((await scaler.read(config.targets[0])).replicas).toBe(60);
  });
});
