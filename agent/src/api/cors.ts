/**
 * CORS for the configured origins only (the Grafana URL): the panel calls the API from the browser with
 * an Authorization header, which makes the browser send a preflight first. Other origins get no CORS
 * headers at all, so the browser refuses to hand them the response.
 */
import type { RequestHandler } from 'express';
import { sendError } from './errors';

/** The allowed origins; replaceable at run time (POST /reload). */
export class CorsPolicy {
  private allowed: Set<string>;
  constructor(origins: readonly string[]) {
    this.allowed = CorsPolicy.normalise(origins);
  }
  replace(origins: readonly string[]): void {
    this.allowed = CorsPolicy.normalise(origins);
  }
  allows(origin: string): boolean {
    return this.allowed.has(origin);
  }
  private static normalise(origins: readonly string[]): Set<string> {
    return new Set(origins.map((o) => new URL(o).origin));
  }
}

export function corsMiddleware(policy: CorsPolicy): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    const ok = typeof origin === 'string' && policy.allows(origin);
    if (ok) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Expose-Headers', 'Retry-After, RateLimit, RateLimit-Policy');
    }
    res.vary('Origin');
    if (req.method !== 'OPTIONS') return next();
    res.locals.routeLabel = 'preflight';
    if (origin !== undefined && !ok) return sendError(res, 403, 'origin not allowed');
    if (ok) {
      res.set('Access-Control-Allow-Methods', 'GET, POST, DELETE');
      res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.set('Access-Control-Max-Age', '600');
    }
    res.set('Allow', 'GET, POST, DELETE, OPTIONS');
    res.status(204).end();
  };
}
