import type { Register } from './command';
import { ConfigError, formatProblem, loadConfigFile } from '../app/config-load';
import { getHeapStatistics } from 'node:v8';
import { configWarnings } from '../config/agent-config';
import { sizingWarning } from '../config/sizing';

/** `validate --config FILE`: exit 0, or print every problem (file: key path: reason) and exit 2. */
export const registerValidate: Register = (program, io, exit) => {
  program
    .command('validate')
    .description('check a config file and print every problem with its key path')
    .requiredOption('-c, --config <file>', 'config file (YAML)')
    .option('--heap-mib <n>', "the pod's V8 heap limit in MiB, for the sizing warning (default: this process's; Node gives a container half its memory limit)")
    .action((opts: { config: string; heapMib?: string }) => {
      try {
        const { config } = loadConfigFile(opts.config);
        const heapMiB = opts.heapMib !== undefined ? Number(opts.heapMib) : Math.floor(getHeapStatistics().heap_size_limit / 1048576);
        const sizing = sizingWarning(config.targets.length, heapMiB);
        for (const w of [...configWarnings(config), ...(sizing ? [sizing] : [])]) io.err(`${opts.config}: ${w.path}: warning: ${w.message}`);
        io.out(`${opts.config}: ok (${config.targets.length} target(s), mode ${config.agent.mode})`);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        for (const p of err.problems) io.err(formatProblem(p));
        io.err(`${err.problems.length} problem(s) found`);
        exit.code = 2;
      }
    });
};
