import { writeFileSync } from 'node:fs';
import type { Register } from './main';
import { ConfigError, loadConfigFile, type LoadedConfig } from '../config/load';
import { compareOnTrace, replicasCsv } from '../replay/compare';
import { describeDemandIssues, readTrace, TraceError } from '../replay/trace';

/** `wedsync-agent replay`: a backtest of the agent on a recorded trace, against HPA, static peak and oracle. */
export const registerReplay: Register = (program, io, exit) => {
  program
    .command('replay')
    .description('play a trace folder (trace.csv, calendar.json, meta.json) minute by minute through the agent; print a JSON comparison')
    .requiredOption('--trace <dir>', 'trace folder')
    .option('--config <file>', 'agent config whose policy, wedding rules and detection settings to use')
    .requiredOption('--output <file>', 'where to write timestamp,replicas for every minute')
    .action(async (opts: { trace: string; config?: string; output: string }) => {
      let user: LoadedConfig | undefined;
      try {
        user = opts.config ? loadConfigFile(opts.config) : undefined;
        const trace = readTrace(opts.trace);
        const issues = trace.demandIssues && describeDemandIssues({ issues: trace.demandIssues });
        if (issues) io.err(`replay: ${opts.trace}/trace.csv: ${issues}`);
        const { summary, agentReplicas } = await compareOnTrace(trace, { user });
        writeFileSync(opts.output, replicasCsv(trace, agentReplicas));
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
