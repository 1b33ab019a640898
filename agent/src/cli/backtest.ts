import type { Register } from './command';
import { ConfigError, loadConfigFile } from '../app/config-load';
import { progressFor } from '../backtest/progress-bar';
import { runBacktest } from '../backtest/run-backtest';
import { BacktestError } from '../backtest/target-history';
import { parseRange } from '../backtest/time-range';
import { writeReport } from '../report/write-report';
import { reportTitle } from '../report/report-html';
import { costLine } from './replay';

/**
 * `wedsync-agent backtest --config FILE --from T1 --to T2 [--target ID …] [--out DIR]`: what the agent
 * would have done on the cluster's own history in Prometheus, against what the cluster ran, HPA v2, HPA
 * with more headroom, static peak and the oracle. Exit 2: a config or argument to fix; 1: Prometheus or
 * its data failed.
 */
export const registerBacktest: Register = (program, io, exit) => {
  program
    .command('backtest')
    .description("replay each target's history from Prometheus through the agent and write a report (summary.json, replicas.csv, report.html)")
    .requiredOption('--config <file>', 'agent config: its Prometheus source, targets, policy and calendar')
    .requiredOption('--from <time>', 'start: ISO-8601 instant (2027-06-01T00:00:00Z), a date, or relative (-28d, -2w, -12h)')
    .option('--to <time>', 'end (exclusive), same forms', 'now')
    .option('--target <id...>', 'only these targets (default: all)')
    .option('--out <dir>', 'report folder', 'backtest-report')
    .action(async (opts: { config: string; from: string; to: string; target?: string[]; out: string }) => {
      const fail = (message: string, code: number) => {
        io.err(`backtest: ${message}`);
        exit.code = code;
      };
      const range = parseRange(opts.from, opts.to, Date.now());
      if ('error' in range) return fail(range.error, 2);
      try {
        const loaded = loadConfigFile(opts.config);
        const result = await runBacktest({ loaded, range, targetIds: opts.target, progress: progressFor() });
        const files = writeReport(opts.out, result.targets, {
          title: reportTitle('backtest', result.targets.map((t) => t.id).join(', '), range.fromMs, range.toMs),
          source: `Prometheus ${result.prometheusUrl}`,
          fromMs: range.fromMs,
          toMs: range.toMs,
          generatedAtMs: Date.now(),
        });
        for (const t of result.targets) {
          const gaps = t.demandMissingSteps ? `; ${t.demandMissingSteps} minute(s) without data (gaps: the agent saw no reading there)` : '';
          io.err(
            `backtest: ${t.id}: ${t.trace.demand.length} minutes${gaps}${t.cluster ? '' : '; no replica series for what the cluster ran'}${t.summary.price.perReplicaHour === null ? '' : `; ${costLine(t.summary)}`}`,
          );
        }
        io.out(files.join('\n'));
      } catch (err) {
        if (err instanceof ConfigError) return fail(err.message, 2);
        if (err instanceof BacktestError) return fail(err.message, err.exitCode);
        throw err;
      }
    });
};
