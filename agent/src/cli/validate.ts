import type { Register } from './command';
import { ConfigError, formatProblem, loadConfigFile } from '../app/config-load';
import { configWarnings } from '../config/agent-config';

/** `validate --config FILE`: exit 0, or print every problem (file: key path: reason) and exit 2. */
export const registerValidate: Register = (program, io, exit) => {
  program
    .command('validate')
    .description('check a config file and print every problem with its key path')
    .requiredOption('-c, --config <file>', 'config file (YAML)')
    .action((opts: { config: string }) => {
      try {
        const { config } = loadConfigFile(opts.config);
        for (const w of configWarnings(config)) io.err(`${opts.config}: ${w.path}: warning: ${w.message}`);
        io.out(`${opts.config}: ok (${config.targets.length} target(s), mode ${config.agent.mode})`);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        for (const p of err.problems) io.err(formatProblem(p));
        io.err(`${err.problems.length} problem(s) found`);
        exit.code = 2;
      }
    });
};
