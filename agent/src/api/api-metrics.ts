/** The API's own metrics, registered in the agent's registry (tests pass their own). */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { RequestHandler } from 'express';
import { METRIC } from '../metrics/names';

export interface ApiMetrics {
  requests: Counter<'route' | 'method' | 'status'>;
  duration: Histogram<'route' | 'method'>;
  ingested: Counter<string>;
  ingestRejected: Counter<'reason'>;
  audit: Counter<'action'>;
}

export function createApiMetrics(registry: Registry): ApiMetrics {
  const registers = [registry];
  return {
    requests: new Counter({
      name: METRIC.apiRequestsTotal,
      help: 'Operator API requests by route template, method and status.',
      labelNames: ['route', 'method', 'status'],
      registers,
    }),
    duration: new Histogram({
      name: METRIC.apiRequestDurationSeconds,
      help: 'Operator API request duration (seconds).',
      labelNames: ['route', 'method'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    ingested: new Counter({ name: METRIC.ingestedSamplesTotal, help: 'Samples accepted by POST /api/v1/ingest.', registers }),
    ingestRejected: new Counter({
      name: METRIC.ingestPointsRejectedTotal,
      help: 'Points refused or not stored by POST /api/v1/ingest, by reason (saturated, too_large, unwatched, future, out_of_order, negative, non_finite, series_limit, implausible).',
      labelNames: ['reason'],
      registers,
    }),
    audit: new Counter({ name: METRIC.auditEventsTotal, help: 'Audited changes made through the API, by action.', labelNames: ['action'], registers }),
  };
}

const KNOWN_METHODS = new Set(['GET', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PUT', 'PATCH']);

/** Counts and times every request; the route label is the template ("/targets/:id/forecast"), never the raw path. */
export function metricsMiddleware(m: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const route = (res.locals.routeLabel as string | undefined) ?? (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const method = KNOWN_METHODS.has(req.method) ? req.method : 'OTHER';
      m.requests.inc({ route, method, status: String(res.statusCode) });
      m.duration.observe({ route, method }, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}
