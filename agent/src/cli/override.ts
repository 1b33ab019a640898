/**
 * `override set|list|clear`: the agent's manual overrides from a terminal, as the API has them
 * (POST/GET/DELETE /api/v1/overrides) — with a reason, an end, and the caller's role deciding what it
 * may change. A duration is counted on the agent's clock (read from its status first), so a laptop's
 * clock skew, or the demo's simulated week, cannot make an override end in the past.
 *   0  done;  1  the agent cannot be asked, refuses the token or the role, or refuses the override
 *   (unknown target, replicas above max, …: its reason is printed);  2  usage
 */
import type { Command } from 'commander';
import type { Register, CliIo, ExitCode } from './command';
import { overrideListSchema, overrideSchema, statusSchema } from '../api/schemas';
import type { OverrideDto, OverrideRequest } from '../api/contract';
import { apiUrl, connectionFlags, EXIT_ERROR, EXIT_USAGE, readToken, requestAgent, timeoutMs, UsageError, type ConnectionOptions } from './agent-client';
import { columns } from './status';

const TYPES = ['pin', 'floor', 'freeze'] as const;

/** "30m", "2h", "1h30m", "90s" → milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  const ms = m ? (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000 : 0;
  if (!m || ms <= 0) throw new UsageError(`--duration: "${text}" must be a positive duration such as 30m, 2h or 1h30m`);
  return ms;
}

interface SetOptions extends ConnectionOptions {
  type: string;
  replicas?: string;
  duration?: string;
  until?: string;
  untilWeddingEnds?: boolean;
  reason: string;
}

/** The POST body from the flags; `agentNowMs` is the agent's clock, for --duration. Pure. */
export function overrideRequest(target: string, o: SetOptions, agentNowMs: number | null): OverrideRequest {
  if (!(TYPES as readonly string[]).includes(o.type)) throw new UsageError(`--type: "${o.type}" must be one of ${TYPES.join(', ')}`);
  const ends = [o.duration !== undefined, o.until !== undefined, o.untilWeddingEnds === true].filter(Boolean).length;
  if (ends !== 1) throw new UsageError('give exactly one of --duration, --until and --until-wedding-ends');
  let replicas: number | undefined;
  if (o.replicas !== undefined) {
    replicas = Number(o.replicas);
    if (!Number.isInteger(replicas) || replicas < 0) throw new UsageError(`--replicas: "${o.replicas}" must be a whole number ≥ 0`);
  }
  const body: OverrideRequest = { target, type: o.type as OverrideRequest['type'], reason: o.reason, ...(replicas !== undefined ? { replicas } : {}) };
  if (o.untilWeddingEnds) return { ...body, untilWeddingEnds: true };
  if (o.until !== undefined) return { ...body, until: o.until };
  return { ...body, until: new Date(agentNowMs! + parseDuration(o.duration!)).toISOString() };
}

export function overrideTable(overrides: readonly OverrideDto[]): string[] {
  if (!overrides.length) return ['no active overrides'];
  const rows = [['ID', 'TARGET', 'TYPE', 'REPLICAS', 'UNTIL', 'AUTHOR', 'REASON']];
  for (const o of overrides)
    rows.push([
      o.id,
      o.target,
      o.type,
      o.replicas === undefined ? '-' : String(o.replicas),
      o.untilWeddingEnds ? `${o.until} (wedding ends)` : o.until,
      o.author,
      o.reason,
    ]);
  return columns(rows);
}

/** Runs one subcommand's body with the shared error handling: one line on stderr, exit 1 or 2. */
async function guarded(io: CliIo, exit: ExitCode, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    io.err(`override: ${(err as Error).message}`);
    exit.code = err instanceof UsageError ? EXIT_USAGE : EXIT_ERROR;
  }
}

function connection(o: ConnectionOptions): { token: string | null; timeoutMs: number } {
  return { token: readToken(o.tokenFile, process.env), timeoutMs: timeoutMs(o.timeout) };
}

function registerSet(parent: Command, io: CliIo, exit: ExitCode): void {
  connectionFlags(
    parent.command('set <target>').description('set an override on a target (coordinator role or above; pin and timed overrides need operator)'),
    'coordinator',
  )
    .requiredOption(
      '--type <type>',
      `${TYPES.join(', ')}: pin holds exactly --replicas, floor keeps at least --replicas, freeze holds the replicas as they are`,
    )
    .option('--replicas <n>', 'replicas for pin and floor')
    .option('--duration <d>', "how long, on the agent's clock: 30m, 2h, 1h30m")
    .option('--until <instant>', 'until this ISO-8601 instant, e.g. 2027-06-05T23:00:00Z')
    .option('--until-wedding-ends', 'until the live wedding protecting the target ends')
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .action((target: string, o: SetOptions) =>
      guarded(io, exit, async () => {
        const conn = connection(o);
        overrideRequest(target, o, 0); // usage errors before any request
        let agentNow: number | null = null;
        if (o.duration !== undefined) {
          const status = await requestAgent({
            url: apiUrl(o.agent, 'status'),
            ...conn,
            schema: statusSchema,
            document: 'status document',
            forbidden: 'its role may not read the status',
          });
          agentNow = Date.parse(status.agent.now);
        }
        const created = await requestAgent({
          url: apiUrl(o.agent, 'overrides'),
          ...conn,
          method: 'POST',
          body: overrideRequest(target, o, agentNow),
          schema: overrideSchema,
          document: 'override',
          forbidden: 'its role may not set this override',
        });
        io.out(
          `override ${created.id} set: ${created.target} ${created.type}${created.replicas === undefined ? '' : ` ${created.replicas}`} until ${created.until} (by ${created.author})`,
        );
      }),
    );
}

function registerList(parent: Command, io: CliIo, exit: ExitCode): void {
  connectionFlags(parent.command('list').description('the active overrides'), 'viewer')
    .option('--target <id>', 'only this target')
    .option('-o, --output <format>', 'table or json', 'table')
    .action((o: ConnectionOptions & { target?: string; output: string }) =>
      guarded(io, exit, async () => {
        if (o.output !== 'table' && o.output !== 'json') throw new UsageError(`--output: "${o.output}" must be table or json`);
        const url = apiUrl(o.agent, 'overrides');
        if (o.target) url.searchParams.set('target', o.target);
        const { overrides } = await requestAgent({
          url,
          ...connection(o),
          schema: overrideListSchema,
          document: 'list of overrides',
          forbidden: 'its role may not read overrides',
        });
        (o.output === 'json' ? [JSON.stringify(overrides, null, 2)] : overrideTable(overrides)).forEach((l) => io.out(l));
      }),
    );
}

function registerClear(parent: Command, io: CliIo, exit: ExitCode): void {
  connectionFlags(parent.command('clear <id...>').description('remove active overrides by id (see `override list`)'), 'coordinator').action(
    (ids: string[], o: ConnectionOptions) =>
      guarded(io, exit, async () => {
        const conn = connection(o);
        for (const id of ids) {
          const removed = await requestAgent({
            url: apiUrl(o.agent, `overrides/${encodeURIComponent(id)}`),
            ...conn,
            method: 'DELETE',
            schema: overrideSchema,
            document: 'override',
            forbidden: 'its role may not remove this override',
          });
          io.out(`override ${removed.id} cleared (${removed.target} ${removed.type})`);
        }
      }),
  );
}

export const registerOverride: Register = (program, io, exit) => {
  const override = program.command('override').description('set, list and clear manual overrides on a running agent');
  registerSet(override, io, exit);
  registerList(override, io, exit);
  registerClear(override, io, exit);
};
