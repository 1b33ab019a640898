/**
 * The operator API (/api/v1), assembled: metrics → security headers → CORS → (public OpenAPI document)
 * → bearer auth → per-token rate limit → routes → JSON 404 → error handler. Bodies are parsed per
 * route, after the role check, so unauthenticated callers never make the agent parse anything.
 */
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Registry } from 'prom-client';
import type { ApiConfig } from '../config/schema';
import type { AgentConfig } from '../config/agent-config';
import type { AgentState } from '../state';
import type { LoadSource } from '../contracts/load-source';
import { systemClock, type Clock } from '../util/clock';
import { silentLogger, type Logger } from '../util/logger';
import { createApiMetrics, metricsMiddleware } from './api-metrics';
import { Auditor, type AuditHook } from './audit';
import { TokenAuthenticator, principalOf, type TokenEntry } from './auth';
import { CorsPolicy, corsMiddleware } from './cors';
import { securityHeadersMiddleware } from './security-headers';
import { registerReloadRoutes } from './reload-routes';
import { registerCalendarRoutes, type CalendarConfirmer } from './calendar-routes';
import { AuthFailureLimiter } from './auth-failures';
import { errorHandler, sendError } from './errors';
import type { SinkHealth } from './contract';
import type { RouteContext } from './context';
import { registerReadRoutes } from './read-routes';
import { registerCapacityRoutes, type CapacityPlanning } from './capacity-routes';
import { registerFreezeRoutes } from './freeze-routes';
import { registerOverrideRoutes } from './override-routes';
import { registerIngestRoutes } from './ingest-routes';
import { buildOpenApiDocument } from './openapi';
import type { OverrideDurability } from './override-durability';
import { registerStreamRoutes } from './stream-routes';
import type { StreamHub } from './stream-hub';

export interface ApiDeps {
  state: AgentState;
  config: ApiConfig;
  /** Every accepted token (config digests plus the environment's, see parseEnvTokens). */
  tokens: readonly TokenEntry[];
  /** The environment's tokens among `tokens`: kept when POST /reload replaces the config's. */
  envTokens?: readonly TokenEntry[];
  /** Re-reads and validates the config file for POST /reload (admin); without it the route answers 404. */
  reloadConfig?: () => AgentConfig;
  /** The whole config the agent runs with, so POST /reload can say which sections need a restart. */
  agentConfig?: AgentConfig;
  registry: Registry;
  /** The agent's load sources: /ingest feeds the push sources among them. */
  sources?: Record<string, LoadSource>;
  sinks?: () => SinkHealth[];
  /** Applies held calendar updates for POST /calendar/confirm (admin); without it the route answers 404. */
  calendar?: CalendarConfirmer;
  onAudit?: AuditHook;
  clock?: Clock;
  logger?: Logger;
  /** The agent's projector and price book for GET /capacity-plan; default: the state's stored forecasts and the config's price table. */
  capacityPlanning?: CapacityPlanning;
  /** Whether override changes are stored yet: 201 only once they are, else 202 saying why (override-durability.ts). */
  durability?: OverrideDurability;
  /** The tick stream for GET /stream; without it the route answers 404. */
  stream?: StreamHub;
}

export function createApiRouter(deps: ApiDeps): Router {
  const logger = deps.logger ?? silentLogger;
  const metrics = createApiMetrics(deps.registry);
  const ctx: RouteContext = {
    state: deps.state,
    // A copy: POST /reload updates the live keys here without touching the caller's config.
    config: { ...deps.config },
    clock: deps.clock ?? systemClock,
    metrics,
    auditor: new Auditor(deps.state, logger, metrics.audit, deps.onAudit),
    durability: deps.durability,
  };
  const auth = new TokenAuthenticator(deps.tokens);
  const openapi = buildOpenApiDocument();

  const r = Router();
  r.use(metricsMiddleware(metrics));
  r.use(securityHeadersMiddleware());
  const cors = new CorsPolicy(deps.config.corsOrigins);
  r.use(corsMiddleware(cors));
  r.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  r.use(auth.middleware(new AuthFailureLimiter(deps.config.authFailuresPerMinute, ctx.clock)));
  r.use(
    rateLimit({
      windowMs: 60_000,
      limit: deps.config.rateLimitPerMinute,
      keyGenerator: (_req, res) => principalOf(res).name,
      // draft-7 headers: draft-8 adds a per-request sha256 of the key (its partition key) for no use here.
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      // Keyed by token, not address: the address checks do not apply (and would warn on odd headers).
      validate: { ip: false, xForwardedForHeader: false, forwardedHeader: false, trustProxy: false },
      handler: (_req, res) => sendError(res, 429, `rate limit of ${deps.config.rateLimitPerMinute} requests per minute for this token reached`),
    }),
  );
  registerReadRoutes(r, ctx, deps.sinks ?? (() => []));
  registerCapacityRoutes(r, ctx, deps.capacityPlanning, deps.agentConfig);
  registerFreezeRoutes(r, ctx);
  registerOverrideRoutes(r, ctx);
  registerIngestRoutes(r, ctx, deps.sources ?? {});
  registerCalendarRoutes(r, ctx, deps.calendar);
  if (deps.stream) registerStreamRoutes(r, deps.stream);
  registerReloadRoutes(r, ctx, { reloadConfig: deps.reloadConfig, agentConfig: deps.agentConfig, envTokens: deps.envTokens ?? [], auth, cors });
  r.use((req, res) => sendError(res, 404, `no route ${req.method} /api/v1${req.path}`));
  r.use(errorHandler(logger));
  return r;
}
