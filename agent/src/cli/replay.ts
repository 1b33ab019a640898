import { writeFileSync } from 'node:fs';
import type { Register } from './command';
import { ConfigError, loadConfigFile, type LoadedConfig } from '../app/config-load';
import { compareOnTrace, replicasCsvBytes } from '../replay/compare';
import { describeDemandIssues, readTrace, TraceError, type Trace } from '../replay/trace';
import { replayConfig } from '../replay/replay-config';
import type { ReplaySummary } from '../replay/compare';
import type { RuleChange } from '../replay/run-replay';
import { money } from '../plan/price';

/** `wedsync-agent replay`: a backtest of the agent on a recorded trace, against HPA, static peak and oracle. */
export const registerReplay: Register = (program, io, exit) => {
  program
    .command('replay')
    .description('play a trace folder (trace.csv, calendar.json, meta.json) minute by minute through the agent; print a JSON comparison')
    .requiredOption('--trace <dir>', 'trace folder')
    .option('--config <file>', 'agent config whose policy, wedding rules and detection settings to use')
    .option('--output <file>', 'where to write timestamp,replicas for every minute')
    .option('--report <dir>', 'write summary.json, replicas.csv and a self-contained report.html here')
    .action(async (opts: { trace: string; config?: string; output?: string; report?: string }) => {
      if (!opts.output && !opts.report) {
        io.err('replay: give --output FILE, --report DIR, or both');
        exit.code = 2;
        return;
      }
      let user: LoadedConfig | undefined;
      try {
        user = opts.config ? loadConfigFile(opts.config) : undefined;
        const trace = readTrace(opts.trace);
        const issues = trace.demandIssues && describeDemandIssues({ issues: trace.demandIssues });
        if (issues) io.err(`replay: ${opts.trace}/trace.csv: ${issues}`);
        const { summary, agentReplicas, ruleChanges } = await compareOnTrace(trace, { user });
        if (opts.output) writeFileSync(opts.output, replicasCsvBytes(trace, agentReplicas));
        if (opts.report) writeTraceReport(opts.report, trace, user, { summary, agentReplicas, ruleChanges });
        io.out(JSON.stringify(summary, null, 2));
      } catch (err) {
        if (err instanceof TraceError || err instanceof ConfigError) {
          io.err(`replay: ${err.message}`);
          exit.code = 2;
          return;
        }
        throw err;
      }
    });
};

/** "agent 812.3 replica-hours = 22.07 USD (HPA v2 …, oracle …)": replica-hours next to money, or "cost unknown". */
export function costLine(s: ReplaySummary): string {
  const c = (x: number | null) => (x === null ? 'cost unknown' : money(x, s.price.currency));
  const p = s.policies;
  return `agent ${p.agent.replicaHours} replica-hours = ${c(p.agent.cost)}; HPA v2 ${p.hpa_v2.replicaHours} = ${c(p.hpa_v2.cost)}; oracle ${p.oracle.replicaHours} = ${c(p.oracle.cost)}${s.price.perReplicaHour === null ? ` (${s.price.detail})` : ''}`;
}

/** The report of one trace: the target is the replay's own (the trace's shape, the config's wedding settings). */
function writeTraceReport(
  dir: string,
  trace: Trace,
  user: LoadedConfig | undefined,
  run: { summary: ReplaySummary; agentReplicas: Int32Array; ruleChanges: RuleChange[] },
): void {
  // The report's modules are loaded only with --report (not by a replay that writes --output alone).
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy loading (above); each typed by its module */
  const { writeReport } = require('../report/write-report') as typeof import('../report/write-report');
  const { reportTitle } = require('../report/report-html') as typeof import('../report/report-html');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { config } = replayConfig(trace, user);
  const target = config.targets[0];
  const endMs = trace.startMs + trace.demand.length * trace.stepMs;
  // The replay's own target is named "replay": the trace folder says what was replayed.
  const subject = `trace ${trace.dir}${target.id === 'replay' ? '' : `, target ${target.id}`}`;
  writeReport(dir, [{ id: target.id, trace, ...run, cluster: null, rules: config.wedding, timezones: target.timezones }], {
    title: reportTitle('replay', subject, trace.startMs, endMs),
    source: `trace ${trace.dir}`,
    fromMs: trace.startMs,
    toMs: endMs,
    generatedAtMs: Date.now(),
  });
}
