/**
 * POST /reload (admin): re-reads and validates the config file, then applies what the API can take
 * live — `api.tokens` (token rotation without a restart) and `api.corsOrigins` — and says which other
 * sections changed and need a restart. An invalid file changes nothing and answers 422 with every
 * problem, like `wedsync-agent validate`.
 */
import type { Router } from 'express';
import type { AgentConfig } from '../config/agent-config';
import { ConfigError } from '../config/config-error';
import { principalOf, requireRole, type TokenAuthenticator, type TokenEntry } from './auth';
import { HttpError } from './errors';
import type { CorsPolicy } from './cors';
import type { RouteContext } from './context';
import type { ReloadResultDto } from './contract';

const LIVE_API_KEYS = ['tokens', 'corsOrigins'] as const;

export interface ReloadDeps {
  /** Reads and validates the config file again; throws ConfigError when it is invalid. */
  reloadConfig?: () => AgentConfig;
  /** The config the agent runs with (to report what changed). */
  agentConfig?: AgentConfig;
  /** Tokens from the environment, kept across reloads (config tokens are replaced). */
  envTokens: readonly TokenEntry[];
  auth: TokenAuthenticator;
  cors: CorsPolicy;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Sections of `next` that differ from `current` and cannot be applied live. */
export function restartNeeded(current: AgentConfig | undefined, currentApi: AgentConfig['api'], next: AgentConfig): string[] {
  const out: string[] = [];
  if (current) for (const k of Object.keys(next) as Array<keyof AgentConfig>) if (k !== 'api' && !same(current[k], next[k])) out.push(k);
  for (const k of Object.keys(next.api) as Array<keyof AgentConfig['api']>)
    if (!(LIVE_API_KEYS as readonly string[]).includes(k) && !same(currentApi[k], next.api[k])) out.push(`api.${k}`);
  return out;
}

export function registerReloadRoutes(r: Router, ctx: RouteContext, deps: ReloadDeps): void {
  let current = deps.agentConfig;
  r.post('/reload', requireRole('admin'), (_req, res) => {
    if (!deps.reloadConfig) throw new HttpError(404, 'config reload is not available: this agent was not started from a config file');
    let next: AgentConfig;
    try {
      next = deps.reloadConfig();
    } catch (err) {
      if (err instanceof ConfigError)
        throw new HttpError(
          422,
          'the config file is invalid; nothing was changed',
          err.problems.map((p) => ({ field: `${p.file}: ${p.path || '(top level)'}`, reason: p.message })),
        );
      throw new HttpError(422, `the config file could not be loaded: ${(err as Error).message}; nothing was changed`);
    }
    const applied = LIVE_API_KEYS.filter((k) => !same(ctx.config[k], next.api[k])).map((k) => `api.${k}`);
    const result: ReloadResultDto = {
      applied,
      restartNeeded: restartNeeded(current, ctx.config, next),
      tokens: next.api.tokens.length + deps.envTokens.length,
    };
    deps.auth.replace([...next.api.tokens, ...deps.envTokens]);
    deps.cors.replace(next.api.corsOrigins);
    ctx.config.tokens = next.api.tokens;
    ctx.config.corsOrigins = next.api.corsOrigins;
    current = current ? { ...current, api: { ...current.api, tokens: next.api.tokens, corsOrigins: next.api.corsOrigins } } : current;
    const p = principalOf(res);
    ctx.auditor.record({ atMs: ctx.clock(), actor: p.name, role: p.role, action: 'config.reload', detail: { ...result } });
    res.json(result);
  });
}
