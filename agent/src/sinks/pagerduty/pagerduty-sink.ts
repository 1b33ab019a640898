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
import type { SinkInput } from '../../contracts/sink';
import { sinkName, maxQueue, requestTimeoutSeconds } from '../sink-config';
import { queueOptions, type SinkDeps } from '../sink-deps';
import { realTimers } from '../timers';
import { MEMORY_ONLY_PAGES } from '../../contracts/open-pages';
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
    server: z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be host or host:port, without a scheme').default('events.pagerduty.com'),
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

export class PagerDutySink extends QueuedSink<PageEvent> {
  readonly tracker: PageTracker;
  private readonly persistence: PagePersistence;
  /** Per-incident delivery deadlines and the delivered series; adopts pages the tracker restored. */
  readonly handOff: PageHandOff;

  constructor(name: string, cfg: PagerDutySinkConfig, deps: SinkDeps) {
    const tracker = new PageTracker(conditionOptions(deps.cluster, deps.paging), deps.pageMonitor);
    // With the agent's monitor, the tick already evaluated the conditions into the state: read them, never judge again.
    const judge = (input: SinkInput) => (deps.pageMonitor ? tracker.diff(input.state.pageConditions, input.atMs) : tracker.next(input.state, input.atMs));
    const timers = deps.timers ?? realTimers;
    const { metrics, logger } = deps;
    const requestTimeoutMs = cfg.requestTimeoutSeconds * 1000;
    const handOff = new PageHandOff(cfg.handOffAfterSeconds * 1000, requestTimeoutMs, {
      delivered: (kind, subject) => metrics.pageDelivered.set({ sink: name, kind, subject }, 1),
      closed: (kind, subject) => metrics.pageDelivered.remove({ sink: name, kind, subject }),
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
    const toItems = (input: SinkInput) => {
      if (!input.state.info.leader) {
        // One sender per page: a standby replica judges the same conditions (so it knows what is open when
        // it takes over) but sends nothing, and drops the delivered series of pages it no longer owns.
        const events = judge(input);
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
      const events = judge(input);
      persistence.afterEvaluation();
      handOff.queued(events, timers.now());
      return events;
    };
    super({
      ...queueOptions(name, 'pagerduty', transport, toItems, { ...cfg, maxBatch: 1 }, deps),
      admit: (e) => {
        const verdict = handOff.verdict(e, timers.now());
        if (verdict === 'hand-off') {
          metrics.pageHandOffs.inc({ sink: name, kind: e.kind });
          logger.warn({ sink: name, dedupKey: e.dedupKey, handOffAfterSeconds: cfg.handOffAfterSeconds }, 'page not delivered in time; left to Alertmanager (the alert rule on wedsync_agent_page_condition fires)');
        }
        return verdict === 'send';
      },
      onDelivered: (batch) => {
        for (const e of batch) {
          handOff.delivered(e);
          metrics.pages.inc({ sink: name, kind: e.kind, action: e.action });
        }
        persistence.onDelivered(batch);
      },
    });
    this.tracker = tracker;
    this.handOff = handOff;
    this.persistence = persistence;
  }

  /** Restores the pages PagerDuty held open when the agent last ran (see page-persistence.ts). */
  start(): Promise<void> {
    return this.persistence.restore();
  }
}
