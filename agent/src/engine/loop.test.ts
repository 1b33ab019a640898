import { Registry } from 'prom-client';
import { type TargetConfig } from '../config/schema';
import { type AgentConfig } from '../config/agent-config';
import { configSchema } from '../app/config-schema';
import { indexCalendar } from '../calendar/rules';
import { ControlLoop } from './loop';
import { createAgentMetrics } from '../metrics/agent-metrics';
import { InMemoryScaler } from '../scale/in-memory-scaler';
import type { Scaler } from '../contracts/scaler';
import type { LoadReading, LoadSource } from '../contracts/load-source';
import { AgentState } from '../state';
import { ManualClock } from '../util/clock';
import { silentLogger } from '../util/logger';
import { EwmaDetector } from '../../test-support/ewma-detector';
import { LevelPlusCalendarForecaster } from '../../test-support/level-plus-calendar-forecaster';
import type { ForecasterFactory } from '../forecast/forecaster';

const T0 = Date.parse('2027-01-12T10:00:00Z'); // a Tuesday in January: no season, no weddings

function makeConfig(extra: Record<string, unknown> = {}): AgentConfig {
  return configSchema.parse({
    sources: { fake: { type: 'push' } },
    calendar: { refreshSeconds: 300 },
    forecast: { horizonHours: 1, stepSeconds: 60 },
    policy: { maxScaleUpPods: 100 }, // the planner's step limits are its own tests' business
    targets: [
      {
        id: 'api',
        kubernetes: { namespace: 'ns', name: 'api' },
        load: { source: 'fake', query: 'api' },
        capacityPerPod: 10,
        targetUtilization: 1,
        minReplicas: 1,
        maxReplicas: 50,
        podStartupSeconds: 60,
      },
      {
        id: 'web',
        kubernetes: { namespace: 'ns', name: 'web' },
        load: { source: 'fake', query: 'web' },
        capacityPerPod: 10,
        targetUtilization: 1,
        minReplicas: 1,
        maxReplicas: 50,
        podStartupSeconds: 60,
      },
    ],
    ...extra,
  });
}

/** A source the test steers: a value per target, or an error, or a promise it controls. */
class ScriptedSource implements LoadSource {
  readonly type = 'scripted';
  /** As the push source the config names (`fake: { type: push }`, default 120 s): the source says how long a reading holds. */
  readonly staleAfterSeconds = 120;
  values: Record<string, number | Error> = {};
  gate: Promise<void> | null = null;
  reads = 0;
  async read(target: TargetConfig, nowMs: number): Promise<LoadReading> {
    this.reads++;
    if (this.gate) await this.gate;
    const v = this.values[target.id];
    if (v instanceof Error) return { ok: false, error: v.message, atMs: nowMs };
    if (v === undefined) throw new Error('source exploded');
    return { ok: true, value: v, atMs: nowMs };
  }
}

function setup(opts: { scaler?: Scaler; isLeader?: () => boolean; config?: AgentConfig; monotonic?: () => number; newForecaster?: ForecasterFactory } = {}) {
  const config = opts.config ?? makeConfig();
  const clock = new ManualClock(T0);
  const state = new AgentState(
    { version: 't', cluster: 'c', mode: 'dry-run', leader: true, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
    config.targets,
    indexCalendar({ weddings: [] }, config.wedding),
  );
  const metrics = createAgentMetrics(state, new Registry());
  const source = new ScriptedSource();
  const scaler = opts.scaler ?? new InMemoryScaler(clock.now);
  const loop = new ControlLoop({
    config,
    state,
    sources: { fake: source },
    scaler,
    clock: clock.now,
    metrics,
    logger: silentLogger,
    newDetector: () => new EwmaDetector(),
    newForecaster: opts.newForecaster ?? (() => new LevelPlusCalendarForecaster()),
    isLeader: opts.isLeader,
    monoClock: clock.mono,
    monotonic: opts.monotonic,
  });
  return { config, clock, state, metrics, source, scaler, loop };
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const m = (await registry.getMetricsAsJSON()).find((x) => x.name === name);
  const v = (m?.values as Array<{ labels: Record<string, string | number>; value: number }> | undefined)?.find((x) =>
    Object.entries(labels).every(([k, val]) => x.labels[k] === val),
  );
  return v?.value;
}

describe('ControlLoop', () => {
  it('reads, decides, scales and exports state each tick', async () => {
    const { source, loop, state, metrics, scaler, config } = setup();
    source.values = { api: 95, web: 5 };
    await loop.tick();
    const api = state.targets.get('api')!;
    expect(api.observed).toEqual({ value: 95, atMs: T0 });
    expect(api.decision?.desiredReplicas).toBe(10);
    expect(await scaler.read(config.targets[0])).toMatchObject({ replicas: 10 });
    expect(state.decisions.toArray().map((d) => d.targetId)).toEqual(['api', 'web']);
    expect(api.forecast?.points).toHaveLength(60);
    expect(state.info).toMatchObject({ ready: true, ticks: 1, lastTickMs: T0 });
    expect(await metricValue(metrics.registry, 'wedsync_agent_observed_load', { target: 'api' })).toBe(95);
    expect(await metricValue(metrics.registry, 'wedsync_agent_replicas_desired', { target: 'api' })).toBe(10);
    expect(await metricValue(metrics.registry, 'wedsync_agent_decisions_total', { target: 'api', direction: 'up' })).toBe(1);
    expect(await metrics.registry.metrics()).toMatch(/wedsync_agent_tick_duration_seconds_count 1/);
  });

  it('never scales down on missing data: a failed read holds and is reported', async () => {
    const { source, loop, state, clock, metrics } = setup();
    source.values = { api: 95, web: 5 };
    await loop.tick();
    source.values = { api: new Error('prometheus down'), web: 5 };
    clock.advance(15_000);
    await loop.tick();
    clock.advance(15 * 60_000); // long past staleAfterSeconds
    await loop.tick();
    const api = state.targets.get('api')!;
    expect(api.stale).toBe(true);
    expect(api.lastReadError).toBe('prometheus down');
    expect(api.decision).toMatchObject({ desiredReplicas: 10, holding: true });
    expect(api.decision?.protections).toContain('stale_data');
    expect(await metricValue(metrics.registry, 'wedsync_agent_load_stale', { target: 'api' })).toBe(1);
    expect(await metricValue(metrics.registry, 'wedsync_agent_source_requests_total', { source: 'fake', outcome: 'error' })).toBe(2);
  });

  it('never throws: a source or scaler that throws affects only its target', async () => {
    const broken: Scaler = {
      kind: 'broken',
      read: async (t) => {
        if (t.id === 'web') throw new Error('apiserver unreachable');
        return { replicas: 1, readyReplicas: 1 };
      },
      apply: async () => ({ ok: true, changed: true, replicas: 3 }),
    };
    const { source, loop, state, metrics } = setup({ scaler: broken });
    source.values = { api: 25 }; // web: the source throws
    await expect(loop.tick()).resolves.toBeUndefined();
    expect(state.targets.get('api')!.decision?.desiredReplicas).toBe(3);
    expect(state.targets.get('web')!.lastReadError).toBe('source exploded');
    expect(state.targets.get('web')!.lastScaleError).toBe('apiserver unreachable');
    expect(await metricValue(metrics.registry, 'wedsync_agent_tick_errors_total', { stage: 'scale-read' })).toBe(1);
  });

  it('counts a failed scale operation', async () => {
    const failing: Scaler = { kind: 'f', read: async () => ({ replicas: 1, readyReplicas: 1 }), apply: async () => ({ ok: false, error: '403 forbidden' }) };
    const { source, loop, state, metrics } = setup({ scaler: failing });
    source.values = { api: 50, web: 5 };
    await loop.tick();
    expect(state.targets.get('api')!.lastScaleError).toBe('403 forbidden');
    expect(await metricValue(metrics.registry, 'wedsync_agent_scale_errors_total', { target: 'api' })).toBe(1);
  });

  it('runs one tick at a time: a trigger while a tick is running is skipped, not overlapped', async () => {
    const { source, loop, metrics, state } = setup();
    source.values = { api: 5, web: 5 };
    let release!: () => void;
    source.gate = new Promise((r) => (release = r));
    const first = loop.trigger();
    const second = loop.trigger();
    expect(await metricValue(metrics.registry, 'wedsync_agent_ticks_skipped_total')).toBe(1);
    release();
    await Promise.all([first, second]);
    expect(state.info.ticks).toBe(1);
    expect(source.reads).toBe(2); // two targets, one tick
  });

  it('stops cleanly: waits for the tick in flight, then ignores triggers (idempotent)', async () => {
    const { source, loop, state } = setup();
    source.values = { api: 5, web: 5 };
    let release!: () => void;
    source.gate = new Promise((r) => (release = r));
    void loop.trigger();
    const stopping = loop.stop(5000);
    setTimeout(release, 20);
    await stopping;
    expect(state.info.ticks).toBe(1);
    await loop.stop();
    await loop.trigger();
    expect(state.info.ticks).toBe(1);
  });

  it('bounds a tick by tickTimeoutSeconds and skips a target whose work is still running', async () => {
    const config = makeConfig({ agent: { tickTimeoutSeconds: 0.05 } });
    const hanging: Scaler = {
      kind: 'hanging',
      read: (t) => (t.id === 'web' ? new Promise(() => undefined) : Promise.resolve({ replicas: 1, readyReplicas: 1 })),
      apply: async (_t, d) => ({ ok: true, changed: true, replicas: d.desiredReplicas }),
    };
    const { source, loop, state, metrics } = setup({ scaler: hanging, config });
    source.values = { api: 25, web: 5 };
    await loop.tick();
    expect(state.info.ticks).toBe(1);
    expect(state.targets.get('api')!.decision?.desiredReplicas).toBe(3);
    expect(await metricValue(metrics.registry, 'wedsync_agent_tick_errors_total', { stage: 'timeout' })).toBe(1);
    await loop.tick();
    expect(await metricValue(metrics.registry, 'wedsync_agent_tick_errors_total', { stage: 'target-busy' })).toBe(1);
    expect(source.reads).toBe(3); // web was not read again while its work hung
  });

  it('judges backfilled history with the weddings the target serves', async () => {
    const config = makeConfig();
    config.targets[1].timezones = ['Europe/London'];
    const { state } = setup({ config });
    // Detectors are made in target order (api, then web); each records the context it is given.
    const seen: number[][] = [];
    const loop = new ControlLoop({
      config,
      state,
      sources: {},
      scaler: new InMemoryScaler(() => T0),
      clock: () => T0,
      metrics: createAgentMetrics(state, new Registry()),
      logger: silentLogger,
      newDetector: () => {
        const mine: number[] = [];
        seen.push(mine);
        return { update: (_t, _v, ctx) => (mine.push(ctx?.expectedWeddingLoad ?? -1), { score: 0, kind: 'none' as const }) };
      },
      newForecaster: () => new LevelPlusCalendarForecaster(),
    });
    // A Kolkata wedding live at T0: api serves every zone, web only London.
    state.calendar = indexCalendar(
      {
        weddings: [{ id: 'k', title: 'k', start: new Date(T0).toISOString(), timezone: 'Asia/Kolkata', days: 1, guests: 100, tradition: 'indian', vendors: 1 }],
      },
      config.wedding,
    );
    loop.seed('api', [{ tMs: T0 + 60_000, value: 10 }]);
    loop.seed('web', [{ tMs: T0 + 60_000, value: 10 }]);
    expect(seen).toEqual([[20], [0]]); // api: 100 guests × 2.0 × ceremony 1.0 × 0.1; web: none of its weddings
  });

  it('only the leader acts; a follower decides and exports', async () => {
    const { source, loop, state, scaler, config } = setup({ isLeader: () => false });
    source.values = { api: 95, web: 5 };
    await loop.tick();
    expect(state.targets.get('api')!.decision?.desiredReplicas).toBe(10);
    expect(await scaler.read(config.targets[0])).toMatchObject({ replicas: 1 });
  });

  it('records an anomaly once per onset', async () => {
    const { source, loop, state, clock, metrics } = setup();
    for (let i = 0; i < 60; i++) {
      source.values = { api: 100 + (i % 3), web: 5 };
      await loop.tick();
      clock.advance(60_000);
    }
    for (let i = 0; i < 3; i++) {
      source.values = { api: 1000, web: 5 };
      await loop.tick();
      clock.advance(60_000);
    }
    const spikes = state.anomalies.toArray().filter((a) => a.targetId === 'api');
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ kind: 'spike', value: 1000 });
    expect(await metricValue(metrics.registry, 'wedsync_agent_anomalies_total', { target: 'api', kind: 'spike' })).toBe(1);
  });

  it('reports a stall when no tick has finished for three periods plus the timeout, in real time', async () => {
    let mono = 1_000;
    const { source, loop, clock } = setup({ monotonic: () => mono });
    source.values = { api: 5, web: 5 };
    expect(loop.stallReason()).toBeNull(); // before the first tick readiness says "starting" instead
    await loop.tick();
    mono += 50_000; // 3 × 15 s + 10 s = 55 s allowed
    expect(loop.stallReason()).toBeNull();
    clock.stepWall(-3_600_000); // a wall-clock step back changes nothing: the check uses real elapsed time
    mono += 10_000;
    expect(loop.stallReason()).toMatch(/no tick has finished for 60 s \(allowed 55 s\)/);
    await loop.tick();
    expect(loop.stallReason()).toBeNull();
  });

  describe('a wall-clock step: staleness and step limits measure monotonic time', () => {
    it('a clock stepped back 1 h still goes stale on time (source down)', async () => {
      const { source, loop, state, clock } = setup();
      source.values = { api: 95, web: 5 };
      await loop.tick();
      source.values = { api: new Error('prometheus down'), web: 5 };
      clock.stepWall(-3_600_000);
      clock.advance(120_000); // push source: staleAfterSeconds 120; the last sample is exactly 120 s old
      await loop.tick();
      expect(state.targets.get('api')!.stale).toBe(false);
      clock.advance(15_000);
      await loop.tick();
      const api = state.targets.get('api')!;
      expect(api.stale).toBe(true);
      expect(api.decision).toMatchObject({ holding: true });
    });

    it('a clock stepped back 1 h still goes stale on time (a stalled source repeating its last sample)', async () => {
      const { loop, state, clock, source } = setup();
      source.values = { api: 95, web: 5 };
      const t0 = clock.nowMs;
      // Answers with the same sample (stamped t0) for ever, like a Prometheus whose scrapes stopped.
      source.read = async (target) => ({ ok: true, value: target.id === 'api' ? 95 : 5, atMs: t0 });
      await loop.tick();
      clock.stepWall(-3_600_000);
      clock.advance(135_000);
      await loop.tick();
      expect(state.targets.get('api')!.stale).toBe(true);
      expect(state.targets.get('api')!.observed).toEqual({ value: 95, atMs: t0 });
    });

    it('a clock stepped forward 1 h allows no more than one tick of step-down', async () => {
      const config = makeConfig({ policy: { maxScaleUpPods: 100, scaleDownStabilizationSeconds: 0, maxScaleDownRatio: 0.1, stepPeriodSeconds: 15 } });
      // No forecast: the step limit alone stands between the drop in load and the replicas.
      const newForecaster = () => ({ observe: () => undefined, forecast: () => ({ points: [], method: 'none', coldStart: false }) });
      const { source, loop, state, clock, scaler } = setup({ config, newForecaster });
      source.values = { api: 400, web: 5 };
      await loop.tick();
      expect(await scaler.read(config.targets[0])).toMatchObject({ replicas: 40 });
      source.values = { api: 10, web: 5 };
      clock.advance(60_000);
      clock.stepWall(3_600_000);
      await loop.tick();
      // 60 s of monotonic time = four 15 s periods of −10 % (at least one pod): 40 → 36 → 33 → 30 → 27.
      expect(state.targets.get('api')!.decision).toMatchObject({ desiredReplicas: 27 });
      expect(state.targets.get('api')!.decision!.reasons.at(-1)).toMatchObject({ rule: 'max-step-down', replicas: 27 });
      expect(await scaler.read(config.targets[0])).toMatchObject({ replicas: 27 });
    });
  });
});
