/**
 * GET /api/v1/stream (viewer): Server-Sent Events of what each tick changed (stream-hub.ts). Answers
 * 503 with Retry-After when the hub is full, so a thundering herd of dashboards cannot exhaust the agent.
 */
import type { Router } from 'express';
import { requireRole } from './auth';
import { sendError } from './errors';
import type { StreamHub } from './stream-hub';

export function registerStreamRoutes(r: Router, hub: StreamHub): void {
  r.get('/stream', requireRole('viewer'), (req, res) => {
    res.locals.routeLabel = '/stream';
    if (hub.full) {
      res.set('Retry-After', '5');
      sendError(res, 503, `the stream has its maximum of ${hub.size} subscribers; retry later or poll GET /status`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      // Tells nginx-style proxies in front of the agent not to buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    req.socket.setNoDelay(true);
    // EventSource sends Last-Event-ID on its own reconnects; a client reconnecting itself (with backoff)
    // cannot set headers, so it passes ?lastEventId= instead.
    const fromQuery = typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined;
    const lastId = req.get('last-event-id') ?? fromQuery;
    const unsubscribe = hub.subscribe(res, lastId?.trim());
    if (!unsubscribe) {
      res.end();
      return;
    }
    res.on('close', unsubscribe);
  });
}
