/** Operational endpoints for Kubernetes probes and Prometheus: no authentication, no state changes. */
import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { AgentState } from '../state';

export function opsRoutes(state: AgentState, registry: Registry): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready once the config is loaded and the first tick has run: before that the agent has nothing to say.
  r.get('/readyz', (_req, res) => {
    if (state.info.ready) res.json({ status: 'ready', ticks: state.info.ticks });
    else res.status(503).json({ status: 'starting', reason: 'first tick not finished' });
  });
  r.get('/metrics', async (_req, res) => {
    res.set('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  return r;
}
