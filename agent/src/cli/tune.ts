import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Register } from './command';
import { ConfigError, loadConfigFile, type LoadedConfig } from '../app/config-load';
import { progressFor } from '../backtest/progress-bar';
import { fetchHistories } from '../backtest/run-backtest';
import { BacktestError } from '../backtest/target-history';
import { parseRange } from '../backtest/time-range';
import { readTrace, TraceError } from '../replay/trace';
import { replayConfig } from '../replay/replay-config';
import { ObjectiveError, parseObjective } from '../tune/objective';
import { runTune, TuneError, type TuneTarget, type TunedTarget } from '../tune/run-tune';
import { UnknownSettingError } from '../tune/search-space';
import { tunedPolicyYaml } from '../tune/tuned-policy';
import { tuneReportHtml } from '../tune/tune-report';

/**
 * `wedsync-agent tune`: per target, the policy settings that best meet the user's objective on the earlier
 * part of the history, checked on the later part. `--trace DIR` (as `replay`) or `--config F --from --to`
 * (Prometheus history, as `backtest`). Writes summary.json, report.html and tuned-policy.yaml to --out.
 * Exit 0: done; 1: Prometheus or its data failed (no history); 2: bad input (arguments, config, unknown
 * settings, a history under 2 weeks or with too many gaps); 3: done, but some target's goal cannot be met
 * (its nearest point is reported, and it is left out of tuned-policy.yaml).
 */
interface TuneCliOptions {
  trace?: string;
  config?: string;
  from?: string;
  to: string;
  target?: string[];
  out: string;
  goal?: string;
  budget?: string;
  candidates: string;
  seed: string;
  settings?: string;
  holdout: string;
}

export const registerTune: Register = (program, io, exit) => {
  program
    .command('tune')
    .description(
      'search policy settings per target on the earlier part of the history, check them on the later part; write summary.json, report.html, tuned-policy.yaml',
    )
    .option('--trace <dir>', 'a trace folder (trace.csv, calendar.json, meta.json), as replay takes')
    .option('--config <file>', 'agent config: with --from/--to, history from its Prometheus; with --trace, its policy and wedding settings')
    .option('--from <time>', 'start of the Prometheus history (as backtest)')
    .option('--to <time>', 'end (exclusive)', 'now')
    .option('--target <id...>', 'only these targets (default: all)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--goal <conditions>', 'e.g. "overload<=0.1*hpa" or "overload<=30,unserved<=0.5*defaults": the cheapest settings meeting them')
    .option('--budget <limit>', 'e.g. 1.1x-oracle: the least overload costing at most that')
    .option('--candidates <n>', 'settings tried per target, the defaults included', '24')
    .option('--seed <n>', 'seed of the candidate draw (same seed, same search)', '1')
    .option('--settings <names>', 'comma-separated settings to search (default: all of tune/search-space.ts)')
    .option('--holdout <share>', 'share of the range held out for checking (the later part)', '0.25')
    .action(async (opts: TuneCliOptions) => {
      const fail = (message: string, code: number) => {
        io.err(`tune: ${message}`);
        exit.code = code;
      };
      const count = Number(opts.candidates);
      const seed = Number(opts.seed);
      const holdout = Number(opts.holdout);
      if (!Number.isInteger(count) || count < 1) return fail(`--candidates "${opts.candidates}": a whole number ≥ 1`, 2);
      if (!Number.isInteger(seed)) return fail(`--seed "${opts.seed}": a whole number`, 2);
      if (!(holdout >= 0.1 && holdout <= 0.5)) return fail(`--holdout "${opts.holdout}": a share between 0.1 and 0.5`, 2);
      if (!opts.trace === !opts.from) return fail('give --trace DIR, or --config FILE with --from and --to (Prometheus history)', 2);
      try {
        const objective = parseObjective(opts.goal, opts.budget);
        const settings = opts.settings
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        let targets: TuneTarget[];
        let source: string;
        if (opts.trace) {
          const user = opts.config ? loadConfigFile(opts.config) : undefined;
          const trace = readTrace(opts.trace);
          targets = [{ id: replayConfig(trace, user).config.targets[0].id, trace, user }];
          source = `trace ${opts.trace}`;
        } else {
          if (!opts.config) return fail('--from needs --config FILE (its Prometheus source and targets)', 2);
          const range = parseRange(opts.from!, opts.to, Date.now());
          if ('error' in range) return fail(range.error, 2);
          const loaded: LoadedConfig = loadConfigFile(opts.config);
          const { prometheusUrl, fetched } = await fetchHistories({ loaded, range, targetIds: opts.target, progress: progressFor() });
          targets = fetched.map((f) => ({ id: f.target.id, trace: f.trace, user: { ...loaded, config: { ...loaded.config, targets: [f.target] } } }));
          source = `Prometheus ${prometheusUrl}`;
        }
        const results = await runTune(targets, { objective, candidates: count, seed, settings, holdout, progress: progressFor() });
        writeOutputs(opts.out, results, source, objective.kind === 'defaults' ? 'no worse than the defaults, cheapest' : objective.text, commandLine());
        for (const r of results) io.err(`tune: ${r.id}: ${lineOf(r)}`);
        io.out(['summary.json', 'report.html', 'tuned-policy.yaml'].map((f) => join(opts.out, f)).join('\n'));
        if (results.some((r) => !r.choice.met)) exit.code = 3;
      } catch (err) {
        if (err instanceof ConfigError || err instanceof TraceError || err instanceof ObjectiveError || err instanceof UnknownSettingError)
          return fail(err.message, 2);
        if (err instanceof TuneError || err instanceof BacktestError) return fail(err.message, err.exitCode);
        throw err;
      }
    });
};

const commandLine = () => `wedsync-agent ${process.argv.slice(2).join(' ')}`;

function pct(a: number, b: number): string {
  if (a === b) return '±0 %';
  return b === 0 ? 'n/a' : `${a < b ? '−' : '+'}${Math.abs(Math.round(((a - b) / b) * 1000) / 10)} %`;
}

/** "held out: replica-hours −8.1 %, overload 12 (defaults 12), unserved …": the pick against the defaults on the later part. */
function lineOf(r: TunedTarget): string {
  const c = r.chosen.heldOut;
  const d = r.defaults.heldOut;
  const head = r.choice.met ? 'chosen' : 'GOAL NOT MET, nearest';
  return `${head} ${
    Object.entries(r.choice.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ') || 'defaults'
  }; held out: replica-hours ${c.replicaHours} (${pct(c.replicaHours, d.replicaHours)} vs defaults), overload min ${c.overloadMinutes} (defaults ${d.overloadMinutes}), unserved ${c.unservedRequests} (defaults ${d.unservedRequests})${r.choice.met && r.choice.index !== 0 ? '' : ` — ${r.choice.detail}`}`;
}

function writeOutputs(dir: string, results: TunedTarget[], source: string, objective: string, command: string): void {
  mkdirSync(dir, { recursive: true });
  const generatedAtMs = Date.now();
  const summary = {
    command,
    source,
    objective,
    generatedAt: new Date(generatedAtMs).toISOString(),
    targets: results.map((r) => ({
      id: r.id,
      tunedOn: { from: new Date(r.split.tuneFromMs).toISOString(), to: new Date(r.split.heldOutFromMs).toISOString() },
      heldOut: { from: new Date(r.split.heldOutFromMs).toISOString(), to: new Date(r.split.toMs).toISOString() },
      met: r.choice.met,
      detail: r.choice.detail,
      settings: r.choice.settings,
      chosen: r.chosen,
      defaults: r.defaults,
      hpa_v2: r.hpa,
      oracle: r.oracle,
      hpaFrontierTuningPart: r.frontier.map((f) => ({ factor: f.factor, ...f.tune })),
      candidates: r.candidates,
      searched: r.space.map((s) => ({ name: s.name, values: s.values })),
    })),
  };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(
    join(dir, 'report.html'),
    tuneReportHtml(results, { title: `WedSync tune: ${results.map((r) => r.id).join(', ')}`, source, objective, generatedAtMs }),
  );
  writeFileSync(join(dir, 'tuned-policy.yaml'), tunedPolicyYaml(results, command));
}
