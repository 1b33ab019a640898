import { join } from 'node:path';
import type { Register } from './command';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../app/config-load';
import { Agent, type AgentOptions } from '../app/agent';
import { acceleratedClock } from '../util/clock';
import { runUntilSignal } from './run';
import { generateRoleTokens, parseEnvTokens, TOKENS_ENV } from '../api/auth';
import { demoStatusLine } from './demo-status';
import { demoFleetConfig, type DemoConfigOverlay, type DemoFleetFlags } from './demo-fleet-options';
import { ConfigError } from '../app/config-load';

/** The bundled demo config (agent/demo), found from src/cli and dist/cli alike. */
export const DEMO_CONFIG = join(__dirname, '..', '..', 'demo', 'demo.yaml');
export const DEMO_START = '2027-06-04T12:00:00Z';

export interface DemoOptions {
  port: number;
  /** Listen address; the bundled config's 127.0.0.1 unless given (a container needs 0.0.0.0). */
  host?: string;
  speed: number;
  start: string;
  /** WEDSYNC_API_TOKENS value for the operator API (role:token,…); defaults to the environment's. */
  apiTokens?: string;
  /** Browser origins allowed to call the API (a local Grafana, e.g. http://localhost:3000). */
  corsOrigins?: string[];
  /**
   * Laid over the bundled demo.yaml before validation, as in a config file: `agent` keys (cluster,
   * provider, region, logLevel), `fleet`, `sinks` and `paging` — several demos as the clusters of one fleet.
   */
  config?: DemoConfigOverlay;
  /** Where `${ENV}` references in `config` are read from (default: the process environment). */
  env?: Record<string, string | undefined>;
  /** Test hooks for the sinks (e.g. the TLS agent that trusts a PagerDuty stand-in). */
  sinkDeps?: AgentOptions['sinkDeps'];
}

/** The bundled demo config with `over` laid on top, validated like any config file (errors name the key). */
function demoConfig(over: DemoOptions['config'], env: Record<string, string | undefined>) {
  const raw = parse(readFileSync(DEMO_CONFIG, 'utf8')) as Record<string, Record<string, unknown>>;
  if (over?.agent) raw.agent = { ...raw.agent, ...over.agent };
  if (over?.fleet !== undefined) raw.fleet = over.fleet as Record<string, unknown>;
  if (over?.sinks) raw.sinks = over.sinks as unknown as Record<string, unknown>;
  if (over?.paging) raw.paging = { ...raw.paging, ...over.paging };
  return { config: parseConfig(stringify(raw), DEMO_CONFIG, env), file: DEMO_CONFIG, baseDir: dirname(DEMO_CONFIG) };
}

/** Builds the demo agent: bundled config and calendar, simulated traffic, in-memory cluster, fast clock. */
export function createDemoAgent(opts: DemoOptions): Agent {
  const loaded = demoConfig(opts.config, { ...process.env, ...opts.env });
  loaded.config.agent.listen.port = opts.port;
  if (opts.host) loaded.config.agent.listen.host = opts.host;
  if (opts.corsOrigins?.length) loaded.config.api.corsOrigins = opts.corsOrigins;
  const clock = acceleratedClock(Date.parse(opts.start), opts.speed);
  const env = opts.apiTokens === undefined ? process.env : { ...process.env, [TOKENS_ENV]: opts.apiTokens };
  return new Agent(loaded, { clock, tickIntervalMs: (loaded.config.agent.tickSeconds * 1000) / opts.speed, env, sinkDeps: opts.sinkDeps });
}

export const registerDemo: Register = (program, io, exit) => {
  program
    .command('demo')
    .description('run the agent on a simulated wedding weekend (in-memory cluster, faster than real time)')
    .option('-p, --port <port>', 'listen port (default: $PORT or 8080)')
    .option('--host <address>', 'listen address (default 127.0.0.1; in a container: 0.0.0.0)')
    .option('--speed <x>', 'simulated seconds per real second', '60')
    .option('--start <iso>', 'simulated start instant', DEMO_START)
    .option('--cors-origin <origin...>', 'browser origins allowed to call the API (e.g. your Grafana: http://localhost:3000)')
    .option('--quiet', 'do not print a status line every 15 simulated minutes')
    .option('--cluster <name>', 'agent.cluster (default "demo"): run several demos as the clusters of one fleet')
    .option('--provider <cloud>', 'agent.provider: eks, gke, aks or other')
    .option('--region <region>', 'agent.region, e.g. eu-west-1')
    .option('--fleet-query <url>', 'fleet.query: the global store (e.g. a central Prometheus) the demos remote_write into')
    .option('--peer <peers...>', 'fleet.peers: clusters sharing traffic with this one, each cluster or cluster=share')
    .action(async (opts: DemoFleetFlags & { port?: string; host?: string; speed: string; start: string; corsOrigin?: string[]; quiet?: boolean }) => {
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
      // The operator needs tokens to use the API: take WEDSYNC_API_TOKENS, or make one per role for this run.
      const fromEnv = process.env[TOKENS_ENV]?.trim();
      const generated = fromEnv ? null : generateRoleTokens();
      if (fromEnv) {
        try {
          parseEnvTokens(fromEnv);
        } catch (err) {
          io.err((err as Error).message);
          exit.code = 2;
          return;
        }
      }
      const badOrigin = opts.corsOrigin?.find((o) => !/^https?:\/\/[^/\s]+$/.test(o));
      if (badOrigin) {
        io.err(`--cors-origin: "${badOrigin}" is not an origin (scheme://host[:port], no path)`);
        exit.code = 2;
        return;
      }
      let agent: Agent;
      try {
        agent = createDemoAgent({
          port,
          host: opts.host,
          speed,
          start: opts.start,
          apiTokens: generated?.value,
          corsOrigins: opts.corsOrigin,
          config: demoFleetConfig(opts),
        });
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        io.err(err.message);
        exit.code = 2;
        return;
      }
      const addr = await agent.start();
      const base = `http://${addr.address}:${addr.port}`;
      io.out(
        [
          `WedSync agent demo: a wedding weekend from ${opts.start}, ${speed}× real time, in-memory cluster.`,
          `  metrics   ${base}/metrics   (wedsync_agent_* series)`,
          `  health    ${base}/healthz   ${base}/readyz`,
          `  api       ${base}/api/v1/status   (OpenAPI: ${base}/api/v1/openapi.json)`,
          ...(generated
            ? [
                `  tokens    generated for this run (set ${TOKENS_ENV}=role:token,… to choose your own):`,
                ...Object.entries(generated.tokens).map(([role, token]) => `            ${role.padEnd(12)} ${token}`),
                `  try       curl -H "Authorization: Bearer ${generated.tokens.viewer}" ${base}/api/v1/status`,
              ]
            : [`  tokens    from ${TOKENS_ENV}`]),
          `Ctrl-C stops it.`,
        ].join('\n'),
      );
      // A line every 15 simulated minutes: the weekend unfolding, load → ready/desired pods, protections.
      const status = opts.quiet ? null : setInterval(() => io.out(demoStatusLine(agent.state)), (15 * 60_000) / speed);
      status?.unref();
      await runUntilSignal(agent);
      if (status) clearInterval(status);
    });
};
