import type { Register } from './command';
import { ConfigError, formatProblem, loadConfigFile } from '../app/config-load';
import { Agent } from '../app/agent';

/** Runs an agent until SIGTERM/SIGINT, then shuts down within 10 s. */
export async function runUntilSignal(agent: Agent): Promise<void> {
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      agent.logger.info({ signal }, 'shutting down');
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      const hard = setTimeout(() => process.exit(1), 10_000);
      hard.unref();
      void agent.stop(9000).then(resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

export const registerRun: Register = (program, io, exit) => {
  program
    .command('run')
    .description('run the agent with a config file')
    .requiredOption('-c, --config <file>', 'config file (YAML)')
    .option('-p, --port <port>', 'listen port (overrides agent.listen.port)')
    .action(async (opts: { config: string; port?: string }) => {
      let loaded;
      try {
        loaded = loadConfigFile(opts.config);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        for (const p of err.problems) io.err(formatProblem(p));
        exit.code = 2;
        return;
      }
      if (opts.port) loaded.config.agent.listen.port = Number(opts.port);
      const agent = new Agent(loaded);
      await agent.start();
      await runUntilSignal(agent);
    });
};
