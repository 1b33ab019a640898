/**
 * The PagerDuty sink: pages the conditions the page monitor evaluated after every tick (`state.pageConditions`;
 * PageTracker turns them into trigger/resolve events) and delivers trigger/resolve events through
 * the shared queue, one event per request. A trigger it cannot deliver within `handOffAfterSeconds` is
 * left to Alertmanager (page-hand-off.ts), so with both paths on a fault opens exactly one incident.
 */
import { z } from 'zod';
import { positiveSeconds } from '../../config/common';
import { conditionOptions } from '../../paging/page-monitor';
import { QueuedSink } from '../queued-sink';
import type { ExportResult, FlushResult, Sink, SinkHealth, SinkInput } from '../../contracts/sink';
import { sinkName, maxQueue, requestTimeoutSeconds } from '../sink-config';
import { queueOptions, type SinkDeps } from '../sink-deps';
import { realTimers, type SinkTimers } from '../timers';
import { MEMORY_ONLY_PAGES } from '../../contracts/open-pages';
import { PageDelivery } from './page-delivery';
import { PageHandOff } from './page-hand-off';
import { PagePersistence } from './page-persistence';
import { PageTracker, type PageEvent } from './page-tracker';
import { PagerDutyTransport } from './pagerduty-transport';

/** Keys that moved to the agent's `paging` section: one definition for both paging paths. */
const movedToPaging = (key: string) => z.never({ error: `moved to paging.${key}: the PagerDuty sink and the alert rules now share one definition` }).optional();

/** This sink's config (an entry of `sinks`), composed by sinks/registry.ts. */
export const pagerDutySinkConfig = z
  .object({
    type: z.literal('pagerduty'),
    name: sinkName,
    routingKey: z.string().min(1),
    /** host[:port] of the Events API (PagerDuty's own by default). */
    server: z
      .string()
      .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be host or host:port, without a scheme')
      .default('events.pagerduty.com'),
    dashboardUrl: z.url().optional(),
    /**
     * Time to deliver a page's trigger before leaving it to Alertmanager (never sent later). The alert
     * rules' `for` on the page series must be longer than this plus a scrape and an evaluation interval.
     */
    handOffAfterSeconds: positiveSeconds.default(30),
    unreachableAfterSeconds: movedToPaging('unreachableAfterSeconds'),
    overloadUtilization: movedToPaging('overloadUtilization'),
    overloadedAfterSeconds: movedToPaging('overloadedAfterSeconds'),
    /** Page events waiting for delivery (one event per request). */
    maxQueue: maxQueue(200),
    requestTimeoutSeconds,
  })
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.requestTimeoutSeconds >= cfg.handOffAfterSeconds)
      ctx.addIssue({
        code: 'custom',
        path: ['handOffAfterSeconds'],
        message: `(${cfg.handOffAfterSeconds}) must be longer than requestTimeoutSeconds (${cfg.requestTimeoutSeconds}): a trigger is only sent while its request can finish before the hand-off`,
      });
  });
export type PagerDutySinkConfig = z.infer<typeof pagerDutySinkConfig>;

export class PagerDutySink implements Sink {
  readonly type = 'pagerduty';
  readonly tracker: PageTracker;
  /** Per-incident delivery deadlines and the delivered series; adopts pages the tracker restored. */
  readonly handOff: PageHandOff;
  private readonly persistence: PagePersistence;
  private readonly queue: QueuedSink<PageEvent>;
  private readonly timers: SinkTimers;

  constructor(
    readonly name: string,
    cfg: PagerDutySinkConfig,
    private readonly deps: SinkDeps,
  ) {
    this.tracker = new PageTracker(conditionOptions(deps.cluster, deps.paging), deps.pageMonitor);
    this.timers = deps.timers ?? realTimers;
    const { metrics, logger } = deps;
    this.handOff = new PageHandOff(cfg.handOffAfterSeconds * 1000, cfg.requestTimeoutSeconds * 1000, {
      delivered: (kind, subject) => metrics.pageDelivered.set({ sink: name, kind, subject }, 1),
      closed: (kind, subject) => metrics.pageDelivered.remove({ sink: name, kind, subject }),
    });
    // Open pages survive restarts in the agent's durable state (deps.pageStore), when it has one.
    this.persistence = new PagePersistence(deps.pageStore?.(name) ?? MEMORY_ONLY_PAGES, this.tracker);
    const transport = new PagerDutyTransport({
      routingKey: cfg.routingKey,
      server: cfg.server,
      source: `wedsync-agent/${deps.cluster}`,
      cluster: deps.cluster,
      dashboardUrl: cfg.dashboardUrl,
      agent: deps.pagerDutyAgent,
    });
    const delivery = new PageDelivery(transport, {
      sink: name,
      handOffAfterSeconds: cfg.handOffAfterSeconds,
      handOff: this.handOff,
      persistence: this.persistence,
      metrics,
      logger,
      timers: this.timers,
    });
    this.queue = new QueuedSink(queueOptions(name, 'pagerduty', delivery, undefined, { ...cfg, maxBatch: 1 }, deps));
  }

  /** Restores the pages PagerDuty held open when the agent last ran (see page-persistence.ts). */
  start(): Promise<void> {
    return this.persistence.restore();
  }

  export(input: SinkInput): ExportResult {
    let events: PageEvent[];
    try {
      events = this.pagesOf(input);
    } catch (err) {
      this.deps.logger.error({ err, sink: this.name }, 'sink could not prepare its items; skipping this tick');
      return { accepted: 0, dropped: 0 };
    }
    return this.queue.enqueue(events);
  }

  forceFlush(deadlineMs: number): Promise<FlushResult> {
    return this.queue.forceFlush(deadlineMs);
  }

  shutdown(deadlineMs: number): Promise<FlushResult> {
    return this.queue.shutdown(deadlineMs);
  }

  health(): SinkHealth {
    return this.queue.health();
  }

  /** Resolves once no request is in flight. For tests. */
  settled(): Promise<void> {
    return this.queue.settled();
  }

  /** The trigger and resolve events this tick calls for; none on a standby replica. */
  private pagesOf(input: SinkInput): PageEvent[] {
    const { tracker, handOff, persistence, timers } = this;
    if (!input.state.info.leader) {
      // One sender per page: a standby replica judges the same conditions (so it knows what is open when
      // it takes over) but sends nothing, and drops the delivered series of pages it no longer owns.
      const events = this.judge(input);
      persistence.afterEvaluation();
      handOff.queued(
        events.filter((e) => e.action === 'resolve'),
        timers.now(),
      );
      return [];
    }
    // Pages restored open after a restart, or delivered by the previous leader, are the sink's, delivered.
    handOff.adoptOpen(tracker.openConditions);
    persistence.adopt(tracker.openConditions, input.atMs);
    const events = this.judge(input);
    persistence.afterEvaluation();
    handOff.queued(events, timers.now());
    return events;
  }

  /** With the agent's monitor, the tick already evaluated the conditions into the state: read them, never judge again. */
  private judge(input: SinkInput): PageEvent[] {
    return this.deps.pageMonitor ? this.tracker.diff(input.state.pageConditions, input.atMs) : this.tracker.next(input.state, input.atMs);
  }
}
