/**
 * Plays a trace through the real agent: the same Agent wiring as `run` (calendar store, push source,
 * detector and forecaster, control loop, planner) on a simulated clock with the in-memory (dry-run)
 * cluster. Each step the replay pushes that step's demand — never a later one — then ticks
 * the loop once and records the replicas the agent asked for.
 */
import { Agent, type AgentOptions } from '../app/agent';
import type { LoadedConfig } from '../app/config-load';
import { InMemoryScaler } from '../scale/in-memory-scaler';
import type { PushSource } from '../sources/push-source';
import { createForecaster } from '../forecast/seasonal-calendar-forecaster';
import type { Forecaster } from '../forecast/forecaster';
import { ManualClock } from '../util/clock';
import { silentLogger } from '../util/logger';
import { CalendarMemoForecaster } from './calendar-memo-forecaster';
import { ForecastAhead, forecastsAheadAvailable, type ForecastPlan } from './forecast-ahead';
import { WeddingLoadTable } from '../calendar/wedding-load-table';
import { REPLAY_SERIES, REPLAY_SOURCE, replayConfig } from './replay-config';
import type { Trace } from './trace';
import type { ReplicaPrice } from '../plan/price';
import type { TargetState } from '../state';

export interface AgentReplay {
  replicas: Int32Array;
  /** Steps the planner held on missing/stale data, and the rules that set the final count, by name. */
  holdingSteps: number;
  /** Steps under Saturday protection (deploy freeze), and which ones (1 = protected). */
  deployFreezeSteps: number;
  protectedSteps: Uint8Array;
  rules: Record<string, number>;
  forecastMethod: string | null;
  /** Steps whose forecast a worker thread worked out ahead (forecast-ahead.ts); 0 when the replay's thread did all. */
  stepsForecastAhead: number;
  /** The replica-hour price the agent used (the config's price table and the target's cost.podRequests). */
  price: ReplicaPrice;
  /** Each step where the rule that set the count changed (the report's "why" on the chart). */
  ruleChanges: RuleChange[];
}

/** The planner's deciding reason from this step on (the last reason that set the final count). */
export interface RuleChange {
  step: number;
  rule: string;
  replicas: number;
  detail: string;
}

export interface ReplayOptions extends Pick<AgentOptions, 'newDetector' | 'newForecaster'> {
  user?: LoadedConfig;
  /** Steps whose reading is withheld (a source outage), to exercise the fail-safe; the trace's own gaps are withheld too. */
  missing?: (step: number) => boolean;
  /** Told how far the replay is, every few hundred steps (a progress bar). */
  onProgress?: (step: number, steps: number) => void;
  /**
   * Wraps the forecaster the replay wires (the default one, forecasting ahead when it can), inside its
   * calendar memo: to watch its forecasts (tune/recorded-inputs.ts) without giving up the worker thread.
   */
  watchForecaster?: (forecaster: Forecaster) => Forecaster;
  /** Shown the target's state after each step (tune records what its candidates share: tune/recorded-inputs.ts). */
  onStep?: (step: number, target: TargetState) => void;
}

export async function replayAgent(trace: Trace, opts: ReplayOptions = {}): Promise<AgentReplay> {
  const loaded = replayConfig(trace, opts.user);
  const clock = new ManualClock(trace.startMs);
  const scaler = new InMemoryScaler(clock.now);
  const gap = trace.missing;
  // The steps whose reading the agent is shown (a withheld one is a source outage).
  const pushed = new Uint8Array(trace.demand.length);
  for (let k = 0; k < pushed.length; k++) pushed[k] = opts.missing?.(k) || gap?.[k] ? 0 : 1;
  // The forecaster factory the agent wires (agent.ts: createForecaster), with calendar answers memoised.
  // Point memory: the trace's calendar is fixed while it plays, so each point's profile inputs are read once.
  const forecasterOptions = { pointMemory: true };
  const newForecaster = opts.newForecaster ?? (() => createForecaster(forecasterOptions));
  // The default forecaster's calls are known in advance: a worker thread works them out ahead (forecast-ahead.ts).
  const ahead =
    opts.newForecaster === undefined && forecastsAheadAvailable() ? new ForecastAhead(forecastPlan(trace, pushed, loaded, forecasterOptions)) : null;
  // Whatever happens to the replay, its forecasting worker stops with it (in tune's and backtest's long-lived
  // pool threads it would otherwise wait there for a reader that never comes).
  try {
    const memos: CalendarMemoForecaster[] = [];
    const agent = new Agent(loaded, {
      clock: clock.now,
      scaler,
      logger: silentLogger,
      newDetector: opts.newDetector,
      newForecaster: () => {
        // One target per replay: the first forecaster is the one planned ahead.
        const inner = memos.length === 0 && ahead ? ahead : newForecaster();
        const memo = new CalendarMemoForecaster(opts.watchForecaster ? opts.watchForecaster(inner) : inner);
        memos.push(memo);
        return memo;
      },
    });
    const source = agent.sources[REPLAY_SOURCE] as PushSource;
    const target = loaded.config.targets[0];
    const replicas = new Int32Array(trace.demand.length);
    const rules: Record<string, number> = {};
    let holdingSteps = 0;
    let deployFreezeSteps = 0;
    const protectedSteps = new Uint8Array(trace.demand.length);
    const ruleChanges: RuleChange[] = [];
    // No HTTP server runs in a replay, so nobody can subscribe to the event stream: closing it before the
    // first step spares working out every tick's stream events (a fifth of a replay's time) for no reader.
    agent.stream.close();
    // The trace's calendar, read before the first step (the agent's own timer refreshes it when it runs live).
    await agent.calendar.refresh(trace.startMs);
    // The forecaster's calendar answers, once per wedding day over the trace and the last forecast's horizon.
    const horizonSteps = Math.ceil((loaded.config.forecast.horizonHours * 3_600_000) / trace.stepMs) + 1;
    const table = new WeddingLoadTable(agent.state.calendar, target.timezones, trace.startMs, trace.stepMs, trace.demand.length + horizonSteps);
    for (const memo of memos) memo.useTable(table);
    if (ahead && memos[0]?.context) ahead.begin(memos[0].context, table.grid());
    for (let k = 0; k < trace.demand.length; k++) {
      clock.nowMs = trace.startMs + k * trace.stepMs;
      if (pushed[k]) source.ingest(REPLAY_SERIES, {}, [[clock.nowMs, trace.demand[k]]], clock.nowMs);
      await agent.loop.tick();
      const w = await scaler.read(target);
      replicas[k] = w.replicas;
      const decision = agent.state.targets.get(target.id)!.decision;
      if (decision?.holding) holdingSteps++;
      if (decision?.deployFreeze) {
        deployFreezeSteps++;
        protectedSteps[k] = 1;
      }
      // The last reason that set the final count (searched from the end: no array per tick).
      const reasons = decision?.reasons ?? [];
      let i = reasons.length - 1;
      while (i >= 0 && reasons[i].replicas !== decision!.desiredReplicas) i--;
      if (i >= 0) {
        const last = reasons[i];
        rules[last.rule] = (rules[last.rule] ?? 0) + 1;
        if (last.rule !== ruleChanges.at(-1)?.rule) ruleChanges.push({ step: k, rule: last.rule, replicas: last.replicas, detail: last.detail });
      }
      opts.onStep?.(k, agent.state.targets.get(target.id)!);
      if (opts.onProgress && (k % 240 === 239 || k === trace.demand.length - 1)) opts.onProgress(k + 1, trace.demand.length);
    }
    await agent.stop();
    const price = agent.prices.price(target, undefined);
    return {
      replicas,
      holdingSteps,
      deployFreezeSteps,
      protectedSteps,
      rules,
      forecastMethod: agent.state.targets.get(target.id)!.forecast?.method ?? null,
      stepsForecastAhead: ahead?.stepsForecastAhead ?? 0,
      price,
      ruleChanges,
    };
  } finally {
    ahead?.close();
  }
}

/** The forecaster calls the agent will make over the trace (target-pipeline.ts `predict`: the same step and horizon). */
function forecastPlan(trace: Trace, pushed: Uint8Array, loaded: LoadedConfig, options: ForecastPlan['options']): Omit<ForecastPlan, 'grid'> {
  const forecastStepMs = loaded.config.forecast.stepSeconds * 1000;
  // The push source answers every read with its latest sample, and the agent learns from every reading it
  // gets (target-pipeline.ts `run`): from the first shown step on, the last demand shown. (An implausible
  // reading is refused instead: the plan is left there, see forecast-ahead.ts.)
  const observed = new Float64Array(pushed.length);
  let last = NaN;
  for (let k = 0; k < pushed.length; k++) observed[k] = last = pushed[k] ? trace.demand[k] : last;
  return {
    startMs: trace.startMs,
    stepMs: trace.stepMs,
    observed,
    forecastStepMs,
    forecastPoints: Math.ceil((loaded.config.forecast.horizonHours * 3600_000) / forecastStepMs),
    options,
  };
}
