/**
 * `freeze-check --agent URL [--target ID …] [--token-file F] [--fail-open]`: the pipeline gate. Asks the
 * agent's GET /api/v1/deploy-freeze whether a deploy may land now.
 *   0  deploying is allowed (or: unreachable with --fail-open, after a loud warning)
 *   3  frozen: prints until when and why, naming the live weddings
 *   1  the agent cannot be reached, refuses the token, does not know a target, answers nonsense, or has
 *      not evaluated a target yet or not for 10 minutes (the freeze is unknown) — never 0 by accident
 *   2  usage errors (commander)
 */
import type { Register } from './command';
import { deployFreezeSchema } from '../api/schemas';
import type { DeployFreezeDto } from '../api/contract';
import { AgentUnreachable, apiUrl, readToken, requestAgent, timeoutMs, TOKEN_ENV, UsageError } from './agent-client';

export { TOKEN_ENV } from './agent-client';
export const EXIT_ALLOWED = 0;
export const EXIT_ERROR = 1;
export const EXIT_FROZEN = 3;
/** An evaluation older than this (agent clock) means a stalled loop: the freeze is unknown, not "allowed". */
export const MAX_EVALUATION_AGE_MS = 10 * 60_000;
export const BREAK_GLASS_HINT =
  'In an emergency, set the annotation wedsync.io/emergency-change: "<reason>" on the workload: the change passes, and is audited and paged.';

interface Options {
  agent: string;
  target?: string[];
  tokenFile?: string;
  failOpen?: boolean;
  timeout: string;
}

function fetchFreeze(opts: Options, timeout: number): Promise<DeployFreezeDto> {
  return requestAgent({
    url: apiUrl(opts.agent, 'deploy-freeze'),
    token: readToken(opts.tokenFile, process.env),
    timeoutMs: timeout,
    schema: deployFreezeSchema,
    document: 'deploy-freeze document',
    forbidden: 'its role may not read the deploy freeze',
  });
}

/** The decision for the chosen targets: exit code and the lines to print. Pure. */
export function judge(doc: DeployFreezeDto, only: readonly string[] | undefined): { code: number; out: string[]; err: string[] } {
  const known = doc.targets.map((t) => t.id);
  const unknown = (only ?? []).filter((id) => !known.includes(id));
  if (unknown.length) return { code: EXIT_ERROR, out: [], err: [`unknown target(s): ${unknown.join(', ')} (the agent knows: ${known.join(', ') || 'none'})`] };
  const chosen = only?.length ? doc.targets.filter((t) => only.includes(t.id)) : doc.targets;
  if (!chosen.length) return { code: EXIT_ERROR, out: [], err: ['the agent has no targets: nothing to judge'] };
  const unevaluated = chosen.filter((t) => t.evaluatedAt === null);
  if (unevaluated.length)
    return {
      code: EXIT_ERROR,
      out: [],
      err: [`the agent has not evaluated ${unevaluated.map((t) => t.id).join(', ')} yet (just started?): the freeze is unknown, try again shortly`],
    };
  const stale = chosen.filter((t) => Date.parse(doc.at) - Date.parse(t.evaluatedAt!) > MAX_EVALUATION_AGE_MS);
  if (stale.length)
    return {
      code: EXIT_ERROR,
      out: [],
      err: [
        `the agent last evaluated ${stale.map((t) => `${t.id} at ${t.evaluatedAt}`).join(', ')}, more than ${MAX_EVALUATION_AGE_MS / 60_000} min before its clock (${doc.at}): its loop looks stalled, the freeze is unknown`,
      ],
    };
  const frozen = chosen.filter((t) => t.frozen);
  if (!frozen.length)
    return {
      code: EXIT_ALLOWED,
      out: [`deploy allowed: no protected wedding is live for ${chosen.map((t) => t.id).join(', ')} (agent clock ${doc.at})`],
      err: [],
    };
  const until = frozen
    .map((t) => t.until!)
    .sort()
    .at(-1)!;
  const out = [`DEPLOY FROZEN until ${until} (agent clock ${doc.at}): protected weddings are live.`];
  for (const t of frozen) {
    out.push(`  ${t.id} (${t.kubernetes.kind} ${t.kubernetes.namespace}/${t.kubernetes.name}) frozen until ${t.until}, ${t.weddings.length} live wedding(s):`);
    for (const w of t.weddings) out.push(`    - ${w.title} [${w.id}] ${w.localDate} ${w.timezone}, ${w.phase}, window ${w.start} – ${w.end}`);
  }
  out.push(BREAK_GLASS_HINT);
  return { code: EXIT_FROZEN, out, err: [] };
}

export const registerFreezeCheck: Register = (program, io, exit) => {
  program
    .command('freeze-check')
    .description(`pipeline gate: exit 0 when deploying is allowed, 3 while a deploy freeze holds (until when and why), 1 when the agent cannot be asked`)
    .requiredOption('--agent <url>', 'the agent, e.g. http://wedsync-agent.wedsync:8080')
    .option('--target <id...>', 'only these targets (default: all the agent protects)')
    .option('--token-file <file>', `file holding a viewer token (default: $${TOKEN_ENV})`)
    .option('--fail-open', 'if the agent cannot be reached, allow the deploy (exit 0) with a loud warning')
    .option('--timeout <seconds>', 'how long to wait for the agent', '10')
    .action(async (opts: Options) => {
      let timeout: number;
      try {
        timeout = timeoutMs(opts.timeout);
      } catch (err) {
        io.err((err as UsageError).message);
        exit.code = 2;
        return;
      }
      try {
        const doc = await fetchFreeze(opts, timeout);
        const verdict = judge(doc, opts.target);
        verdict.out.forEach((l) => io.out(l));
        verdict.err.forEach((l) => io.err(`freeze-check: ${l}`));
        exit.code = verdict.code;
      } catch (err) {
        const message = (err as Error).message;
        if (err instanceof AgentUnreachable && opts.failOpen) {
          io.err('!'.repeat(78));
          io.err(`!! WARNING: ${message}`);
          io.err('!! --fail-open: ALLOWING THE DEPLOY WITHOUT KNOWING WHETHER A WEDDING IS LIVE.');
          io.err('!! Check the agent; the WedSyncFreezeUnenforced alert pages when it is down during a freeze.');
          io.err('!'.repeat(78));
          exit.code = EXIT_ALLOWED;
          return;
        }
        io.err(`freeze-check: ${message}${err instanceof AgentUnreachable ? ' (exit 1; --fail-open would allow the deploy)' : ''}`);
        exit.code = EXIT_ERROR;
      }
    });
};
