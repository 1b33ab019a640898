/**
 * The PagerDuty sink: judges the agent's critical conditions after every tick (PageTracker) and
 * delivers trigger/resolve events through the shared queue, one event per request.
 */
import { QueuedSink } from '../queued-sink';
import { queueOptions, type SinkDeps } from '../sink-deps';
import { MEMORY_ONLY_PAGES } from './open-pages';
import { PagePersistence } from './page-persistence';
import { PageTracker, type PageEvent } from './page-tracker';
import { PagerDutyTransport } from './pagerduty-transport';
import { z } from 'zod';
import { positiveSeconds } from '../../config/common';
import { sinkName, maxQueue, requestTimeoutSeconds } from '../sink-config';

/** This sink's config (an entry of `sinks`), composed by sinks/registry.ts. */
export const pagerDutySinkConfig = z
  .object({
    type: z.literal('pagerduty'),
    name: sinkName,
    routingKey: z.string().min(1),
    /** host[:port] of the Events API (PagerDuty's own by default). */
    server: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be host or host:port, without a scheme').default('events.pagerduty.com'),
    dashboardUrl: z.url().optional(),
    /** How long Kubernetes/Prometheus may be unreachable inside a protection window before paging. */
    unreachableAfterSeconds: positiveSeconds.default(120),
    /** A target at maxReplicas at or above this utilisation (observed ÷ ready capacity) is overloaded. */
    overloadUtilization: z.number().positive().default(1),
    overloadedAfterSeconds: z.number().min(0).default(120),
    /** Page events waiting for delivery (one event per request). */
    maxQueue: maxQueue(200),
    requestTimeoutSeconds,
  })
  .strict();
export type PagerDutySinkConfig = z.infer<typeof pagerDutySinkConfig>;

export class PagerDutySink extends QueuedSink<PageEvent> {
  readonly tracker: PageTracker;
  private readonly persistence: PagePersistence;

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
    // Open pages survive restarts in the agent's durable state (deps.pageStore), when it has one.
    const persistence = new PagePersistence(deps.pageStore?.(name) ?? MEMORY_ONLY_PAGES, tracker);
    super({
      ...queueOptions(
        name,
        'pagerduty',
        transport,
        (input) => {
          const events = tracker.next(input.state, input.atMs);
          persistence.afterEvaluation();
          return events;
        },
        { ...cfg, maxBatch: 1 },
        deps,
      ),
      onDelivered: (batch) => {
        for (const e of batch) deps.metrics.pages.inc({ sink: name, kind: e.kind, action: e.action });
        persistence.onDelivered(batch);
      },
    });
    this.tracker = tracker;
    this.persistence = persistence;
  }

  /** Restores the pages PagerDuty held open when the agent last ran (see page-persistence.ts). */
  start(): Promise<void> {
    return this.persistence.restore();
  }
}
