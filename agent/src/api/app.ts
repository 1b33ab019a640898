/** The agent's HTTP server: probes and /metrics, plus the operator API under /api/v1. */
import express, { type Express, type Router } from 'express';
import type { Registry } from 'prom-client';
import type { AgentState } from '../state';
import { opsRoutes } from './ops-routes';

export interface AppDeps {
  state: AgentState;
  registry: Registry;
  /** The operator API (mounted at /api/v1) when configured. */
  api?: Router;
  /** Why the control loop is stalled, or null (readiness turns 503 while it is). */
  stalled?: () => string | null;
  /** What works only in part (the durable state cannot be written, or was set aside): said by /readyz, still ready. */
  degraded?: () => string[];
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Bodies change every request (timestamps); hashing each one for an ETag would cost more than it saves.
  app.set('etag', false);
  app.use(opsRoutes(deps.state, deps.registry, deps.stalled, deps.degraded));
  if (deps.api) app.use('/api/v1', deps.api);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  return app;
}
