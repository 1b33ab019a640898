/**
 * `backtest`: each selected target's demand and the replicas its cluster ran, read from Prometheus over
 * [from, to), played through exactly the replay path (`compareOnTrace`: the real Agent, loop and planner
 * on a simulated clock), so the agent's schedule equals `replay`'s on the same data in a trace folder.
 */
import type { LoadedConfig } from '../app/config-load';
import type { TargetConfig } from '../config/schema';
import { CalendarStore } from '../sources/calendar-store';
import type { Trace, TraceMeta } from '../replay/trace';
import type { ReplayedTarget } from '../report/report-model';
import { checkQueries } from './check-queries';
import { replayAll } from './replay-pool';
import type { RangeClientOptions } from './prometheus-range';
import { BacktestError, fetchClusterReplicas, fetchDemand, STEP_MS } from './target-history';
import type { TimeRange } from './time-range';

export interface BacktestProgress {
  /** A new phase of `total` units for `label` (a target's history, then its replay). */
  begin(label: string, total: number): void;
  update(done: number): void;
  end(): void;
}

export const NO_PROGRESS: BacktestProgress = { begin: () => undefined, update: () => undefined, end: () => undefined };

export interface BacktestOptions {
  loaded: LoadedConfig;
  range: TimeRange;
  /** Target ids to backtest (default: every target). */
  targetIds?: string[];
  progress?: BacktestProgress;
  /** Instant the query check runs at (default: the end of the range). */
  fetch?: typeof fetch;
  attempts?: number;
  retryDelayMs?: number;
}

export interface BacktestResult {
  prometheusUrl: string;
  targets: Array<ReplayedTarget & { demandMissingSteps: number }>;
}

/** The targets asked for, each read from a Prometheus source; config errors name the option or key. */
export function selectTargets(loaded: LoadedConfig, ids: string[] | undefined): { targets: TargetConfig[]; prom: RangeClientOptions } {
  const all = loaded.config.targets;
  const unknown = (ids ?? []).filter((id) => !all.some((t) => t.id === id));
  if (unknown.length)
    throw new BacktestError(`--target: unknown target ${unknown.map((u) => `"${u}"`).join(', ')} (${loaded.file} has ${all.map((t) => t.id).join(', ')})`, 2);
  const targets = ids?.length ? all.filter((t) => ids.includes(t.id)) : all;
  const urls = new Set<string>();
  let prom: RangeClientOptions | null = null;
  for (const t of targets) {
    const src = loaded.config.sources[t.load.source];
    if (src.type !== 'prometheus')
      throw new BacktestError(
        `${loaded.file}: targets[${all.indexOf(t)}].load.source: backtest reads history from Prometheus, but source "${t.load.source}" is ${src.type}`,
        2,
      );
    urls.add(src.url);
    prom = { url: src.url, timeoutSeconds: Math.max(src.timeoutSeconds, 30), bearerToken: src.bearerToken };
  }
  if (urls.size > 1)
    throw new BacktestError(
      `${loaded.file}: the selected targets read from ${urls.size} Prometheus servers (${[...urls].join(', ')}); backtest them one server at a time with --target`,
      2,
    );
  return { targets, prom: prom! };
}

/** The calendar as it stood at `fromMs`: weddings over before the range starts are dropped on reading, later ones kept. */
async function loadCalendar(loaded: LoadedConfig, fromMs: number) {
  const sources = loaded.config.calendar.sources;
  // The store's clock is the range's start, not now: a backtest replays history, whose weddings are over today.
  const store = new CalendarStore(sources, loaded.baseDir, () => fromMs);
  const calendar = await store.refresh();
  sources.forEach((s, i) => {
    const st = store.status.get(s.location)!;
    if (!st.ok) throw new BacktestError(`${loaded.file}: calendar.sources[${i}].location: cannot read the calendar "${s.location}" (${st.lastError})`, 2);
  });
  return calendar;
}

function traceMeta(t: TargetConfig, range: TimeRange): TraceMeta {
  return {
    podCapacityRps: t.capacityPerPod,
    podStartupSeconds: t.podStartupSeconds,
    minReplicas: t.minReplicas,
    maxReplicas: t.maxReplicas,
    targetUtilization: t.targetUtilization,
    stepSeconds: STEP_MS / 1000,
    start: new Date(range.fromMs).toISOString(),
    minutes: Math.round((range.toMs - range.fromMs) / 60_000),
  };
}

/** One target's history from Prometheus, as a trace (and what the cluster ran, when known). */
export interface FetchedHistory {
  target: TargetConfig;
  trace: Trace;
  missingSteps: number;
  cluster: Awaited<ReturnType<typeof fetchClusterReplicas>>;
}

/** Reads each selected target's history over the range (the first half of a backtest; `tune` reads the same). */
export async function fetchHistories(opts: BacktestOptions): Promise<{ prometheusUrl: string; fetched: FetchedHistory[] }> {
  const { loaded, range } = opts;
  const progress = opts.progress ?? NO_PROGRESS;
  const selected = selectTargets(loaded, opts.targetIds);
  const prom: RangeClientOptions = { ...selected.prom, fetch: opts.fetch, attempts: opts.attempts, retryDelayMs: opts.retryDelayMs };
  await checkQueries(prom, loaded, selected.targets, range.toMs);
  const calendar = await loadCalendar(loaded, range.fromMs);
  const fetched: FetchedHistory[] = [];
  for (const target of selected.targets) {
    progress.begin(`${target.id}: history`, 1);
    const demand = await fetchDemand(prom, target, range, (done, total) => {
      if (done === 1) progress.begin(`${target.id}: history`, total);
      progress.update(done);
    });
    const cluster = await fetchClusterReplicas(prom, target, range);
    progress.end();
    const trace: Trace = {
      // The config's folder: calendar paths in it are relative to it, as for `run`.
      dir: loaded.baseDir,
      meta: traceMeta(target, range),
      startMs: range.fromMs,
      stepMs: STEP_MS,
      demand: demand.values,
      missing: demand.missing,
      calendar,
      calendarSources: loaded.config.calendar.sources,
    };
    fetched.push({ target, trace, missingSteps: demand.missingSteps, cluster });
  }
  return { prometheusUrl: prom.url, fetched };
}

export async function runBacktest(opts: BacktestOptions): Promise<BacktestResult> {
  const { loaded } = opts;
  const progress = opts.progress ?? NO_PROGRESS;
  const { prometheusUrl, fetched } = await fetchHistories(opts);
  const totalSteps = fetched.reduce((n, f) => n + f.trace.demand.length, 0);
  progress.begin(`replay (${fetched.length} target${fetched.length === 1 ? '' : 's'})`, totalSteps);
  // Each target alone in the config, as `replay --config` sees it: its own wedding settings, the same policy.
  const jobs = fetched.map((f) => ({ trace: f.trace, user: { ...loaded, config: { ...loaded.config, targets: [f.target] } } }));
  const replays = await replayAll(jobs, (k) => progress.update(k));
  progress.end();
  const out: BacktestResult['targets'] = fetched.map((f, i) => ({
    id: f.target.id,
    trace: f.trace,
    agentReplicas: replays[i].agentReplicas,
    ruleChanges: replays[i].ruleChanges,
    summary: replays[i].summary,
    cluster: f.cluster && { query: f.cluster.query, replicas: f.cluster.values, missingSteps: f.cluster.missingSteps },
    rules: loaded.config.wedding,
    timezones: f.target.timezones,
    demandMissingSteps: f.missingSteps,
  }));
  return { prometheusUrl, targets: out };
}
