/**
 * `tune`: per target, replay the history with each candidate's settings (search-space.ts), pick one on
 * the earlier part of the range by the user's objective (objective.ts), and score the pick, the defaults
 * and the references on the later part, which the pick never saw. The agent replayed is the real one
 * (replayAgent: Agent, loop, planner), once per target, recording what every candidate shares (readings,
 * detector, forecast, calendar: recorded-inputs.ts); each candidate is then the planner loop over that
 * recording (recorded-planner.ts), with the schedule its own full replay would give. Causal: what a
 * candidate does in the later part depends only on what came before.
 */
import type { LoadedConfig } from '../app/config-load';
import { shapeOf } from '../replay/compare';
import { HPA_HEADROOM_FACTORS } from '../replay/hpa-frontier';
import { hpaV2, oracle } from '../replay/reference-policies';
import { replayConfig } from '../replay/replay-config';
import { scorePart, type Score } from '../replay/score';
import type { Trace } from '../replay/trace';
import { NO_PROGRESS, type BacktestProgress } from '../backtest/run-backtest';
import { choose, STRESS_FACTOR, type Choice, type Objective } from './objective';
import { asTargetPatch, candidates, selectSpace, type Setting, type Settings } from './search-space';
import { candidatePlan } from './recorded-planner';
import { runTuneJobs } from './tune-pool';

/** Below this a history cannot be split into a tuning part and a held-out part worth the name. */
export const MIN_HISTORY_MS = 14 * 86_400_000;
/** More of either part missing than this, and its scores would mostly describe filled-in minutes. */
export const MAX_GAP_SHARE = 0.1;

export class TuneError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface TuneTarget {
  id: string;
  trace: Trace;
  /** The user's config with this target alone (as `replay --config` and `backtest` see it), if any. */
  user?: LoadedConfig;
}

export interface TuneOptions {
  objective: Objective;
  /** Candidates per target, the defaults included. */
  candidates: number;
  seed: number;
  settings?: string[];
  /** Share of the range held out for scoring (the later part). */
  holdout: number;
  progress?: BacktestProgress;
  threads?: number;
}

export interface PartScores {
  tune: Score;
  heldOut: Score;
}

export interface TunedTarget {
  id: string;
  split: { tuneFromMs: number; heldOutFromMs: number; toMs: number };
  /** Each candidate on the tuning part, as it was and with its demand × STRESS_FACTOR (the default objective's margin). */
  candidates: Array<{ settings: Settings; tune: Score; tuneStressed: Score }>;
  choice: Choice & { settings: Settings };
  chosen: PartScores;
  defaults: PartScores;
  hpa: PartScores;
  oracle: PartScores;
  /** HPA v2 at the target utilisation × f on the tuning part (the frontier the report draws). */
  frontier: Array<{ factor: number; tune: Score }>;
  space: Setting[];
}

function checkHistory(t: TuneTarget, split: number): void {
  const { trace } = t;
  const ms = trace.demand.length * trace.stepMs;
  if (ms < MIN_HISTORY_MS)
    throw new TuneError(
      `${t.id}: ${(ms / 86_400_000).toFixed(1)} days of history; tune needs at least 14 (an earlier part to tune on and a later part to check on)`,
      2,
    );
  const missing = trace.missing;
  if (!missing) return;
  for (const [name, from, to] of [
    ['tuning', 0, split],
    ['held-out', split, trace.demand.length],
  ] as const) {
    let n = 0;
    let first = -1;
    for (let k = from; k < to; k++)
      if (missing[k]) {
        n++;
        if (first < 0) first = k;
      }
    if (n > MAX_GAP_SHARE * (to - from))
      throw new TuneError(
        `${t.id}: ${n} of the ${to - from} minutes of the ${name} part have no data (first at ${new Date(trace.startMs + first * trace.stepMs).toISOString()}); more than ${MAX_GAP_SHARE * 100} % missing: choose a range without the gap`,
        2,
      );
  }
}

/** The replay of `t` with candidate `c`: its target utilisation in the trace's shape, its policy in the target's. */
export function candidateReplay(t: TuneTarget, c: Settings): { trace: Trace; user: LoadedConfig } {
  const base = replayConfig(t.trace, t.user);
  const patch = asTargetPatch(c);
  const target = base.config.targets[0];
  const user: LoadedConfig = { ...base, config: { ...base.config, targets: [{ ...target, policy: { ...target.policy, ...patch.policy } }] } };
  const trace = patch.targetUtilization === undefined ? t.trace : { ...t.trace, meta: { ...t.trace.meta, targetUtilization: patch.targetUtilization } };
  return { trace, user };
}

export async function runTune(targets: TuneTarget[], opts: TuneOptions): Promise<TunedTarget[]> {
  const progress = opts.progress ?? NO_PROGRESS;
  const space = selectSpace(opts.settings);
  const splits = targets.map((t) => Math.round(t.trace.demand.length * (1 - opts.holdout)));
  targets.forEach((t, i) => checkHistory(t, splits[i]));
  const sets = candidates(space, opts.candidates, opts.seed);
  // Per target, each candidate's plan; the recording asks for the widest predictive window among them.
  const plans = targets.map((t) =>
    sets.map((c) => {
      const { trace, user } = candidateReplay(t, c);
      return candidatePlan(replayConfig(trace, user).config);
    }),
  );
  const recordingJobs = targets.map((t, i) => {
    const widest = plans[i].reduce((w, p, k) => (p.windowSeconds > plans[i][w].windowSeconds ? k : w), 0);
    const { trace, user } = candidateReplay(t, sets[widest]);
    return { trace, user, windowSeconds: plans[i][widest].windowSeconds, podStartupSeconds: plans[i][widest].target.podStartupSeconds };
  });
  const jobs = targets.flatMap((_, i) => plans[i].map((plan) => ({ recording: i, plan })));
  progress.begin(`tune: ${targets.length} target${targets.length === 1 ? '' : 's'} × ${sets.length} settings`, targets.length + jobs.length);
  const schedules = await runTuneJobs(recordingJobs, jobs, (n) => progress.update(n), opts.threads);
  progress.end();
  return targets.map((t, i) => {
    const { trace } = t;
    const shape = shapeOf(trace);
    const split = splits[i];
    const n = trace.demand.length;
    const mine = schedules.slice(i * sets.length, (i + 1) * sets.length);
    const part = (r: ArrayLike<number>): PartScores => ({
      tune: scorePart(r, trace.demand, shape, 0, split),
      heldOut: scorePart(r, trace.demand, shape, split, n),
    });
    const tuneScores = mine.map((r) => scorePart(r, trace.demand, shape, 0, split));
    const hpa = part(hpaV2(trace.demand, shape));
    const orc = part(oracle(trace.demand, shape));
    const defaults = part(mine[0]);
    // Chosen on the tuning part alone; the held-out part is scored only for the pick and the references.
    const stressedDemand = trace.demand.map((d) => d * STRESS_FACTOR);
    const stressed = mine.map((r) => scorePart(r, stressedDemand, shape, 0, split));
    const choice = choose(opts.objective, tuneScores, { hpa: hpa.tune, oracle: orc.tune, defaults: defaults.tune }, stressed);
    const at = (k: number) => trace.startMs + k * trace.stepMs;
    return {
      id: t.id,
      split: { tuneFromMs: trace.startMs, heldOutFromMs: at(split), toMs: at(n) },
      candidates: sets.map((settings, k) => ({ settings, tune: tuneScores[k], tuneStressed: stressed[k] })),
      choice: { ...choice, settings: sets[choice.index] },
      chosen: part(mine[choice.index]),
      defaults,
      hpa,
      oracle: orc,
      frontier: HPA_HEADROOM_FACTORS.map((factor) => ({
        factor,
        tune: scorePart(hpaV2(trace.demand, { ...shape, targetUtilization: shape.targetUtilization * factor }), trace.demand, shape, 0, split),
      })),
      space,
    };
  });
}
