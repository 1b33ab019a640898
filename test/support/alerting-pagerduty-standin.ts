/**
 * A local stand-in for PagerDuty's Events API v2: records every `POST /v2/enqueue` and answers 202 the
 * way PagerDuty does. Alertmanager is pointed at it instead of events.pagerduty.com.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  dedup_key: string;
  payload?: { summary: string; source: string; severity: string; class?: string; component?: string; group?: string; custom_details?: Record<string, unknown> };
}

export interface PagerDutyStandIn {
  url: string;
  events: PagerDutyEvent[];
  close(): Promise<void>;
}

export async function startPagerDutyStandIn(): Promise<PagerDutyStandIn> {
  const events: PagerDutyEvent[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v2/enqueue') {
        res.writeHead(404).end();
        return;
      }
      try {
        const event = JSON.parse(body) as PagerDutyEvent;
        events.push(event);
        res
          .writeHead(202, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: event.dedup_key }));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'invalid event', message: 'Event object is invalid' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v2/enqueue`,
    events,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
