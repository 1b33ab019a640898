/** Page events → PagerDuty Events API v2 bodies. Pure; the routing key is added here and nowhere else. */
import type { EventPayloadV2 } from '@pagerduty/pdjs/build/src/events';
import type { PageEvent } from './page-tracker';

export interface EventContext {
  routingKey: string;
  /** `payload.source`: which agent is paging. */
  source: string;
  cluster: string;
  /** Grafana dashboard; a single-target page links to it with `var-target` set. */
  dashboardUrl?: string;
}

export function dashboardLink(base: string, targets: string[]): string {
  const url = new URL(base);
  if (targets.length === 1) url.searchParams.set('var-target', targets[0]);
  return url.toString();
}

export function toPagerDutyEvent(e: PageEvent, ctx: EventContext): EventPayloadV2 {
  if (e.action === 'resolve') {
    // PagerDuty needs only the key to resolve; pdjs's type insists on a payload, which the API ignores.
    return { routing_key: ctx.routingKey, event_action: 'resolve', dedup_key: e.dedupKey } as EventPayloadV2;
  }
  const c = e.condition;
  return {
    routing_key: ctx.routingKey,
    event_action: 'trigger',
    dedup_key: e.dedupKey,
    payload: {
      summary: c.summary.slice(0, 1024),
      source: ctx.source,
      severity: c.severity,
      timestamp: new Date(e.atMs).toISOString(),
      component: c.targets.join(',') || undefined,
      group: ctx.cluster,
      class: c.kind,
      custom_details: { ...c.details, targets: c.targets },
    },
    ...(ctx.dashboardUrl ? { links: [{ href: dashboardLink(ctx.dashboardUrl, c.targets), text: 'WedSync dashboard' }] } : {}),
  };
}
