/** Operational endpoints for Kubernetes probes and Prometheus: no authentication, no state changes. */
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { describeKubernetes, type AgentState } from '../state';

export function opsRoutes(state: AgentState, registry: Registry, stalled: () => string | null = () => null, degraded: () => string[] = () => []): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready once the first tick has run (before that the agent has nothing to say), and not while ticks have
  // stopped finishing: a stalled loop serves a frozen picture, and the Service should stop sending to it.
  r.get('/readyz', (_req, res) => {
    const stall = stalled();
    if (!state.info.ready) res.status(503).json({ status: 'starting', reason: 'first tick not finished' });
    else if (stall) res.status(503).json({ status: 'stalled', reason: stall });
    else {
      // Degraded is still ready: the agent scales and serves, and both replicas share one store, so taking
      // them out of the Service would only hide the API that says what is wrong. The alerts page instead.
      // Likewise an API server that does not answer is said here but does not make the agent unready: it
      // still serves its last picture, /metrics and the API, and never scales down on what it cannot read.
      const problems = degraded();
      const kubernetes = state.info.kubernetes ? { kubernetes: describeKubernetes(state.info.kubernetes) } : {};
      res.json(
        problems.length
          ? { status: 'degraded', ticks: state.info.ticks, degraded: problems, ...kubernetes }
          : { status: 'ready', ticks: state.info.ticks, ...kubernetes },
      );
    }
  });
  r.get('/metrics', async (_req, res) => {
    res.set('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  return r;
}
