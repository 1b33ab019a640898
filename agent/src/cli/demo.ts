import { join } from 'node:path';
import type { Register } from './main';
import { loadConfigFile } from '../config/load';
import { Agent } from '../agent';
import { acceleratedClock } from '../util/clock';
import { runUntilSignal } from './run';

/** The bundled demo config (agent/demo), found from src/cli and dist/cli alike. */
export const DEMO_CONFIG = join(__dirname, '..', '..', 'demo', 'demo.yaml');
export const DEMO_START = '2027-06-04T12:00:00Z';

export interface DemoOptions {
  port: number;
  speed: number;
  start: string;
}

/** Builds the demo agent: bundled config and calendar, simulated traffic, dry-run cluster, fast clock. */
export function createDemoAgent(opts: DemoOptions): Agent {
  const loaded = loadConfigFile(DEMO_CONFIG);
  loaded.config.agent.listen.port = opts.port;
  const clock = acceleratedClock(Date.parse(opts.start), opts.speed);
  return new Agent(loaded, { clock, tickIntervalMs: (loaded.config.agent.tickSeconds * 1000) / opts.speed });
}

export const registerDemo: Register = (program, io, exit) => {
  program
    .command('demo')
    .description('run the agent on a simulated wedding weekend (dry-run cluster, faster than real time)')
    .option('-p, --port <port>', 'listen port (default: $PORT or 8080)')
    .option('--speed <x>', 'simulated seconds per real second', '60')
    .option('--start <iso>', 'simulated start instant', DEMO_START)
    .action(async (opts: { port?: string; speed: string; start: string }) => {
      const port = Number(opts.port ?? process.env.PORT ?? 8080);
      const speed = Number(opts.speed);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        io.err(`--port: "${opts.port ?? process.env.PORT}" is not a port number`);
        exit.code = 2;
        return;
      }
      if (!(speed > 0) || Number.isNaN(Date.parse(opts.start))) {
        io.err('--speed must be a positive number and --start an ISO-8601 instant');
        exit.code = 2;
        return;
      }
      const agent = createDemoAgent({ port, speed, start: opts.start });
      const addr = await agent.start();
      const base = `http://${addr.address}:${addr.port}`;
      io.out(
        [
          `WedSync agent demo: a wedding weekend from ${opts.start}, ${speed}× real time, dry-run cluster.`,
          `  metrics   ${base}/metrics   (wedsync_agent_* series)`,
          `  health    ${base}/healthz   ${base}/readyz`,
          `Ctrl-C stops it.`,
        ].join('\n'),
      );
      await runUntilSignal(agent);
    });
};
