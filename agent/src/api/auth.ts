/**
 * Bearer-token authentication and roles. Tokens are known only by their sha256 digest (config holds
 * digests; plain tokens from WEDSYNC_API_TOKENS are hashed at start-up and forgotten), and a presented
 * token is compared against every digest in constant time, so timing says nothing about near misses.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { ApiConfig, Role } from '../config/schema';
import { sendError } from './errors';
import type { AuthFailureLimiter } from './auth-failures';

export const ROLES: readonly Role[] = ['viewer', 'coordinator', 'operator', 'admin'];
const RANK: Record<Role, number> = { viewer: 0, coordinator: 1, operator: 2, admin: 3 };

export const TOKENS_ENV = 'WEDSYNC_API_TOKENS';
const MIN_TOKEN_LENGTH = 16;

export interface Principal {
  /** Who: the token's name in config, or `env-<role>-<n>` for environment tokens. Becomes the audit actor. */
  name: string;
  role: Role;
}

export type TokenEntry = ApiConfig['tokens'][number];

export function sha256Hex(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** One fresh random token per role, as a WEDSYNC_API_TOKENS value (the demo's bootstrap). */
export function generateRoleTokens(): { value: string; tokens: Record<Role, string> } {
  const tokens = Object.fromEntries(ROLES.map((r) => [r, randomBytes(24).toString('base64url')])) as Record<Role, string>;
  return { value: ROLES.map((r) => `${r}:${tokens[r]}`).join(','), tokens };
}

export function hasRole(p: Principal, needed: Role): boolean {
  return RANK[p.role] >= RANK[needed];
}

/**
 * Parses `role:token,role:token`. Errors name the entry's position and the reason, never the token.
 */
export function parseEnvTokens(value: string | undefined): TokenEntry[] {
  if (!value?.trim()) return [];
  const counts: Partial<Record<Role, number>> = {};
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const colon = entry.indexOf(':');
      const where = `${TOKENS_ENV} entry ${i + 1}`;
      if (colon < 0) throw new Error(`${where}: expected "role:token"`);
      const role = entry.slice(0, colon).trim() as Role;
      const token = entry.slice(colon + 1).trim();
      if (!ROLES.includes(role)) throw new Error(`${where}: unknown role "${role}" (one of ${ROLES.join(', ')})`);
      if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token))
        throw new Error(`${where}: the token must be at least ${MIN_TOKEN_LENGTH} characters without spaces`);
      counts[role] = (counts[role] ?? 0) + 1;
      return { name: `env-${role}-${counts[role]}`, role, sha256: sha256Hex(token) };
    });
}

export class TokenAuthenticator {
  private known: Array<{ principal: Principal; digest: Buffer }> = [];

  constructor(tokens: readonly TokenEntry[]) {
    this.replace(tokens);
  }

  /** Swaps the accepted tokens at once (POST /reload rotates them without a restart). */
  replace(tokens: readonly TokenEntry[]): void {
    this.known = tokens.map((t) => ({ principal: { name: t.name, role: t.role }, digest: Buffer.from(t.sha256, 'hex') }));
  }

  get size(): number {
    return this.known.length;
  }

  /** The principal for an `Authorization: Bearer …` header, or null. Checks every digest (no early exit). */
  authenticate(header: string | undefined): Principal | null {
    const m = typeof header === 'string' ? /^Bearer +([\x21-\x7e]{1,512}) *$/i.exec(header) : null;
    if (!m) return null;
    const presented = createHash('sha256').update(m[1], 'utf8').digest();
    let found: Principal | null = null;
    for (const k of this.known) {
      if (timingSafeEqual(presented, k.digest) && !found) found = k.principal;
    }
    return found;
  }

  /**
   * 401 without a valid token; the principal goes to `res.locals.principal`. With a limiter, an
   * address that keeps failing gets 429 for its *bad* tokens only: a valid token is always accepted,
   * so one stale dashboard behind a shared proxy address cannot lock every operator out. Guessing is
   * stopped by the tokens themselves (≥ 16 random characters); the limiter bounds the cost and noise.
   */
  middleware(failures?: AuthFailureLimiter): RequestHandler {
    return (req, res, next) => {
      const p = this.authenticate(req.headers.authorization);
      if (p) {
        res.locals.principal = p;
        next();
        return;
      }
      const address = req.socket.remoteAddress ?? 'unknown';
      const wait = failures?.blockedFor(address) ?? null;
      if (wait !== null) {
        res.set('Retry-After', String(wait));
        sendError(res, 429, 'too many failed authentications from this address; retry later');
        return;
      }
      failures?.recordFailure(address);
      res.set('WWW-Authenticate', 'Bearer realm="wedsync"');
      sendError(res, 401, 'missing or invalid bearer token');
    };
  }
}

export function principalOf(res: { locals: Record<string, unknown> }): Principal {
  return res.locals.principal as Principal;
}

/** 403 unless the caller's role is at least `needed`. */
export function requireRole(needed: Role): RequestHandler {
  return (_req, res, next) => {
    const p = principalOf(res);
    if (!p || !hasRole(p, needed)) {
      sendError(res, 403, `role "${p?.role ?? 'none'}" may not do this (needs ${needed} or above)`);
      return;
    }
    next();
  };
}
