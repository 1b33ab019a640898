/**
 * `freeze-check --agent URL [--target ID …] [--token-file F] [--fail-open]`: the pipeline gate. Asks the
 * agent's GET /api/v1/deploy-freeze whether a deploy may land now.
 *   0  deploying is allowed (or: unreachable with --fail-open, after a loud warning)
 *   3  frozen: prints until when and why, naming the live weddings
 *   1  the agent cannot be reached, refuses the token, does not know a target, answers nonsense, or has
 *      not evaluated a target yet or not for 10 minutes (the freeze is unknown) — never 0 by accident
 *   2  usage errors (commander)
 */
import { readFileSync } from 'node:fs';
import type { Register } from './command';
import { deployFreezeSchema } from '../api/schemas';
import type { DeployFreezeDto } from '../api/contract';

export const EXIT_ALLOWED = 0;
export const EXIT_ERROR = 1;
export const EXIT_FROZEN = 3;
export const TOKEN_ENV = 'WEDSYNC_AGENT_TOKEN';
/** An evaluation older than this (agent clock) means a stalled loop: the freeze is unknown, not "allowed". */
export const MAX_EVALUATION_AGE_MS = 10 * 60_000;
export const BREAK_GLASS_HINT = 'In an emergency, set the annotation wedsync.io/emergency-change: "<reason>" on the workload: the change passes, and is audited and paged.';

interface Options {
  agent: string;
  target?: string[];
  tokenFile?: string;
  failOpen?: boolean;
  timeout: string;
}

/** A failure that --fail-open may turn into "allowed": the agent did not answer. */
class Unreachable extends Error {}

function endpoint(agent: string): URL {
  let url: URL;
  try {
    url = new URL(agent);
  } catch {
    throw new Error(`--agent: "${agent}" is not a URL (e.g. http://wedsync-agent.wedsync:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--agent: "${agent}" must be an http:// or https:// URL`);
  const base = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return new URL(`${base}/api/v1/deploy-freeze`, url.origin);
}

function token(tokenFile: string | undefined, env: NodeJS.ProcessEnv): string | null {
  if (tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(tokenFile, 'utf8');
    } catch (err) {
      throw new Error(`--token-file: cannot read "${tokenFile}": ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const t = text.trim();
    if (!t) throw new Error(`--token-file: "${tokenFile}" is empty`);
    return t;
  }
  return env[TOKEN_ENV]?.trim() || null;
}

async function fetchFreeze(url: URL, bearer: string | null, timeoutMs: number): Promise<DeployFreezeDto> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: 'application/json', ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) }, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new Unreachable(`cannot reach the agent at ${url.origin}: ${why}`);
  }
  const text = await res.text();
  if (res.status === 401) throw new Error(`the agent refused the token (401): give a viewer token with --token-file or ${TOKEN_ENV}`);
  if (res.status === 403) throw new Error('the agent refused the token (403): its role may not read the deploy freeze');
  if (res.status >= 500) throw new Unreachable(`the agent at ${url.origin} answered ${res.status}: ${text.slice(0, 200)}`);
  if (res.status !== 200) throw new Error(`the agent answered ${res.status} for ${url.pathname}: ${text.slice(0, 200)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`the agent's answer is not JSON (is ${url.origin} a WedSync agent?)`);
  }
  const parsed = deployFreezeSchema.safeParse(body);
  if (!parsed.success) throw new Error(`the agent's answer is not a deploy-freeze document (is ${url.origin} a WedSync agent of this version?)`);
  return parsed.data;
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
    return { code: EXIT_ERROR, out: [], err: [`the agent has not evaluated ${unevaluated.map((t) => t.id).join(', ')} yet (just started?): the freeze is unknown, try again shortly`] };
  const stale = chosen.filter((t) => Date.parse(doc.at) - Date.parse(t.evaluatedAt!) > MAX_EVALUATION_AGE_MS);
  if (stale.length)
    return { code: EXIT_ERROR, out: [], err: [`the agent last evaluated ${stale.map((t) => `${t.id} at ${t.evaluatedAt}`).join(', ')}, more than ${MAX_EVALUATION_AGE_MS / 60_000} min before its clock (${doc.at}): its loop looks stalled, the freeze is unknown`] };
  const frozen = chosen.filter((t) => t.frozen);
  if (!frozen.length) return { code: EXIT_ALLOWED, out: [`deploy allowed: no protected wedding is live for ${chosen.map((t) => t.id).join(', ')} (agent clock ${doc.at})`], err: [] };
  const until = frozen.map((t) => t.until!).sort().at(-1)!;
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
      const timeout = Number(opts.timeout);
      if (!(timeout > 0 && timeout <= 300)) {
        io.err(`--timeout: "${opts.timeout}" must be a number of seconds in (0, 300]`);
        exit.code = 2;
        return;
      }
      try {
        const doc = await fetchFreeze(endpoint(opts.agent), token(opts.tokenFile, process.env), timeout * 1000);
        const verdict = judge(doc, opts.target);
        verdict.out.forEach((l) => io.out(l));
        verdict.err.forEach((l) => io.err(`freeze-check: ${l}`));
        exit.code = verdict.code;
      } catch (err) {
        const message = (err as Error).message;
        if (err instanceof Unreachable && opts.failOpen) {
          io.err('!'.repeat(78));
          io.err(`!! WARNING: ${message}`);
          io.err('!! --fail-open: ALLOWING THE DEPLOY WITHOUT KNOWING WHETHER A WEDDING IS LIVE.');
          io.err('!! Check the agent; the WedSyncFreezeUnenforced alert pages when it is down during a freeze.');
          io.err('!'.repeat(78));
          exit.code = EXIT_ALLOWED;
          return;
        }
        io.err(`freeze-check: ${message}${err instanceof Unreachable ? ' (exit 1; --fail-open would allow the deploy)' : ''}`);
        exit.code = EXIT_ERROR;
      }
    });
};
