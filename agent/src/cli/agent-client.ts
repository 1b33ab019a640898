/**
 * How the operator commands (freeze-check, status, override) reach a running agent's API: one URL
 * rule, one token rule, one request with one-line errors. The token comes from a file or the
 * environment, never a flag value (flags land in shell history and `ps`).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { z } from 'zod';

export const TOKEN_ENV = 'WEDSYNC_AGENT_TOKEN';

/** Exit codes shared by the operator commands (README "Operator CLI"). */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** The agent did not answer (or answered 5xx): a failure freeze-check --fail-open may turn into "allowed". */
export class AgentUnreachable extends Error {}

/** The commands' shared connection flags, as commander hands them over. */
export interface ConnectionOptions {
  agent: string;
  tokenFile?: string;
  timeout: string;
}

/** --agent, --token-file and --timeout: the same on every operator command. */
export function connectionFlags(cmd: Command, role: string): Command {
  return cmd
    .requiredOption('--agent <url>', 'the agent, e.g. http://wedsync-agent.wedsync:8080')
    .option('--token-file <file>', `file holding a ${role} token (default: $${TOKEN_ENV})`)
    .option('--timeout <seconds>', 'how long to wait for the agent', '10');
}

/** `--agent URL` → the URL of `path` under its /api/v1 (a trailing /api/v1 in --agent is accepted). */
export function apiUrl(agent: string, path: string): URL {
  let url: URL;
  try {
    url = new URL(agent);
  } catch {
    throw new Error(`--agent: "${agent}" is not a URL (e.g. http://wedsync-agent.wedsync:8080)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`--agent: "${agent}" must be an http:// or https:// URL`);
  const base = url.pathname.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  return new URL(`${base}/api/v1/${path.replace(/^\/+/, '')}`, url.origin);
}

/** The bearer token: `--token-file`, else `$WEDSYNC_AGENT_TOKEN`, else none. */
export function readToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv): string | null {
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

/** `--timeout` in seconds → milliseconds, or a usage error naming the flag. */
export function timeoutMs(value: string): number {
  const seconds = Number(value);
  if (!(seconds > 0 && seconds <= 300)) throw new UsageError(`--timeout: "${value}" must be a number of seconds in (0, 300]`);
  return seconds * 1000;
}

/** A mistake on the command line (exit 2). */
export class UsageError extends Error {}

export interface AgentRequest<T> {
  url: URL;
  token: string | null;
  timeoutMs: number;
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** The answer's shape; an answer that does not fit is "not a WedSync agent of this version". */
  schema: z.ZodType<T>;
  /** What the answer should be, e.g. "deploy-freeze document", for the message when it is not. */
  document: string;
  /** What a 403 means for this call, e.g. "its role may not set overrides". */
  forbidden: string;
}

/** The agent's own words for an error answer: `error`, plus each bad field for a 400. */
function agentError(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; details?: Array<{ field: string; reason: string }> };
    if (typeof body.error === 'string') {
      const details = Array.isArray(body.details) ? body.details.map((d) => `${d.field} ${d.reason}`).join('; ') : '';
      return details ? `${body.error}: ${details}` : body.error;
    }
  } catch {
    // not JSON: the raw text, cut
  }
  return text.slice(0, 200);
}

/** One call to the agent; every failure is an Error with one clear line. */
export async function requestAgent<T>(req: AgentRequest<T>): Promise<T> {
  const { url, token, method = 'GET' } = req;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        Accept: 'application/json',
        ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
      signal: AbortSignal.timeout(req.timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${req.timeoutMs / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new AgentUnreachable(`cannot reach the agent at ${url.origin}: ${why}`);
  }
  const text = await res.text();
  if (res.status === 401) throw new Error(`the agent refused the token (401): give a token with --token-file or ${TOKEN_ENV}`);
  if (res.status === 403) throw new Error(`the agent refused the token (403): ${req.forbidden} (${agentError(text)})`);
  if (res.status >= 500) throw new AgentUnreachable(`the agent at ${url.origin} answered ${res.status}: ${agentError(text)}`);
  if (res.status < 200 || res.status > 299) throw new Error(`the agent answered ${res.status} for ${method} ${url.pathname}: ${agentError(text)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`the agent's answer is not JSON (is ${url.origin} a WedSync agent?)`);
  }
  const parsed = req.schema.safeParse(body);
  if (!parsed.success) throw new Error(`the agent's answer is not a ${req.document} (is ${url.origin} a WedSync agent of this version?)`);
  return parsed.data;
}
