/**
 * The PagerDuty sink: judges the agent's critical conditions after every tick (PageTracker) and
 * delivers trigger/resolve events through the shared queue, one event per request.
 */
import type { SinkConfig } from '../../config/schema';
import { QueuedSink } from '../queued-sink';
import { queueOptions, type SinkDeps } from '../sink-deps';
import { PageTracker, type PageEvent } from './page-tracker';
import { PagerDutyTransport } from './pagerduty-transport';

export type PagerDutySinkConfig = Extract<SinkConfig, { type: 'pagerduty' }>;

export class PagerDutySink extends QueuedSink<PageEvent> {
  readonly tracker: PageTracker;

  constructor(name: string, cfg: PagerDutySinkConfig, deps: SinkDeps) {
    const tracker = new PageTracker({
      cluster: deps.cluster,
      unreachableAfterMs: cfg.unreachableAfterSeconds * 1000,
      overloadUtilization: cfg.overloadUtilization,
      overloadedAfterMs: cfg.overloadedAfterSeconds * 1000,
    });
    const transport = new PagerDutyTransport({
      routingKey: cfg.routingKey,
      server: cfg.server,
      source: `wedsync-agent/${deps.cluster}`,
      cluster: deps.cluster,
      dashboardUrl: cfg.dashboardUrl,
      agent: deps.pagerDutyAgent,
    });
    super({
      ...queueOptions(name, 'pagerduty', transport, (input) => tracker.next(input.state, input.atMs), { ...cfg, maxBatch: 1 }, deps),
      onDelivered: (batch) => {
        for (const e of batch) deps.metrics.pages.inc({ sink: name, kind: e.kind, action: e.action });
      },
    });
    this.tracker = tracker;
  }
}
