import type { Register } from './command';
import { Agent } from '../app/agent';
import type { CapacityPlanDto } from '../api/contract';
import { capacityPlanDto } from '../api/capacity-routes';
import { parseInstant } from '../backtest/time-range';
import { comingWeekend } from '../capacity/weekend';
import { formatCapacityPlan } from '../capacity/format-plan';
import { ConfigError, loadConfigFile } from '../app/config-load';
import { InMemoryScaler } from '../scale/in-memory-scaler';
import { silentLogger } from '../util/logger';

/** The API token for --agent comes from the environment, never the command line (it would show in `ps`). */
export const CAPACITY_TOKEN_ENV = 'WEDSYNC_API_TOKEN';

/**
 * `wedsync-agent capacity-plan (--agent URL | --config FILE) [--from T] [--to T] [--json]`: next weekend's
 * pods, nodes and cost. `--agent` asks a running agent (GET /api/v1/capacity-plan, viewer token in
 * $WEDSYNC_API_TOKEN); `--config` plans here: it reads the calendar, backfills history from the config's
 * sources like a start does, and prices from OpenCost or the table (pod requests: targets' cost.podRequests).
 * Exit 2: an argument or config to fix; 1: the agent or a source failed.
 */
export const registerCapacityPlan: Register = (program, io, exit) => {
  program
    .command('capacity-plan')
    .description("next weekend's forecast peak, pods, nodes and cost per target (from a running agent or a config)")
    .option('--agent <url>', `a running agent's base URL (token: $${CAPACITY_TOKEN_ENV})`)
    .option('--config <file>', 'plan from this config instead (calendar, sources, pricing)')
    .option('--from <time>', 'start: ISO-8601 instant or date (default: the coming Saturday 00:00)')
    .option('--to <time>', 'end (default: the Monday 00:00 after --from)')
    .option('--json', 'print the plan as JSON (the API shape)')
    .action(async (opts: { agent?: string; config?: string; from?: string; to?: string; json?: boolean }) => {
      const fail = (message: string, code: number) => {
        io.err(`capacity-plan: ${message}`);
        exit.code = code;
      };
      if (!opts.agent === !opts.config) return fail('give exactly one of --agent URL and --config FILE', 2);
      const now = Date.now();
      const at = (name: 'from' | 'to', text: string | undefined) => (text === undefined ? undefined : parseInstant(text, now));
      const from = at('from', opts.from);
      const to = at('to', opts.to);
      if (from === null) return fail(`--from: "${opts.from}" is not a time (ISO-8601 instant with offset, or a date)`, 2);
      if (to === null) return fail(`--to: "${opts.to}" is not a time (ISO-8601 instant with offset, or a date)`, 2);
      let plan: CapacityPlanDto;
      if (opts.agent) {
        const url = new URL('api/v1/capacity-plan', opts.agent.endsWith('/') ? opts.agent : `${opts.agent}/`);
        if (from !== undefined) url.searchParams.set('from', new Date(from).toISOString());
        if (to !== undefined) url.searchParams.set('to', new Date(to).toISOString());
        const token = process.env[CAPACITY_TOKEN_ENV];
        const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(30_000) }).catch(
          (e: Error) => e,
        );
        if (res instanceof Error) return fail(`${url.origin}: ${res.message}`, 1);
        const body = (await res.json().catch(() => null)) as (CapacityPlanDto & { error?: string }) | null;
        if (!res.ok || !body) return fail(`${url.origin} answered ${res.status}${body?.error ? `: ${body.error}` : ''}`, res.status === 400 ? 2 : 1);
        plan = body;
      } else {
        let agent: Agent;
        try {
          const loaded = loadConfigFile(opts.config!);
          agent = new Agent(loaded, { logger: silentLogger, scaler: new InMemoryScaler(Date.now) });
        } catch (err) {
          if (err instanceof ConfigError) return fail(err.message, 2);
          throw err;
        }
        const weekend = comingWeekend(now, agent.loaded.config.wedding.peakSeason.timezone);
        const fromMs = from ?? weekend.fromMs;
        const toMs = to ?? (from !== undefined ? fromMs + 2 * 86_400_000 : weekend.toMs);
        if (toMs <= fromMs) return fail('--to must be after --from', 2);
        if (toMs <= now) return fail('the window has passed (a plan is for the future)', 2);
        try {
          await agent.prepareOffline();
          plan = capacityPlanDto(agent.capacityPlan(fromMs, toMs));
        } finally {
          await agent.stop(3000);
        }
      }
      if (opts.json) io.out(JSON.stringify(plan, null, 2));
      else for (const line of formatCapacityPlan(plan)) io.out(line);
    });
};
