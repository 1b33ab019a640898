/**
 * What delivering a page means beyond the request: a trigger past its hand-off deadline is not sent (it is
 * Alertmanager's now, page-hand-off.ts), and a delivered event is counted and changes what is stored as
 * open (page-persistence.ts). It wraps the PagerDuty transport, so the shared queue only ever sees a
 * Transport: the queue never calls back into the sink.
 */
import type { SendOutcome, Transport } from '../../contracts/sink';
import type { Logger } from '../../util/logger';
import type { SinkMetrics } from '../sink-metrics';
import type { SinkTimers } from '../timers';
import type { PageHandOff } from './page-hand-off';
import type { PagePersistence } from './page-persistence';
import type { PageEvent } from './page-tracker';

export interface PageDeliveryDeps {
  sink: string;
  handOffAfterSeconds: number;
  handOff: PageHandOff;
  persistence: PagePersistence;
  metrics: SinkMetrics;
  logger: Logger;
  timers: SinkTimers;
}

export class PageDelivery implements Transport<PageEvent> {
  constructor(
    private readonly transport: Transport<PageEvent>,
    private readonly deps: PageDeliveryDeps,
  ) {}

  /** Asked at each attempt, retries included: a trigger may run past its deadline while the queue backs off. */
  async send(batch: PageEvent[], signal: AbortSignal): Promise<SendOutcome> {
    const due = batch.filter((e) => this.stillOurs(e));
    if (due.length === 0) return { ok: true, sent: 0 };
    const outcome = await this.transport.send(due, signal);
    if (!outcome.ok) return outcome;
    const { handOff, metrics, persistence, sink } = this.deps;
    for (const e of due) {
      handOff.delivered(e);
      metrics.pages.inc({ sink, kind: e.kind, action: e.action });
    }
    persistence.onDelivered(due);
    return { ok: true, sent: due.length };
  }

  private stillOurs(e: PageEvent): boolean {
    const { handOff, metrics, logger, sink, timers, handOffAfterSeconds } = this.deps;
    const verdict = handOff.verdict(e, timers.now());
    if (verdict === 'hand-off') {
      metrics.pageHandOffs.inc({ sink, kind: e.kind });
      logger.warn(
        { sink, dedupKey: e.dedupKey, handOffAfterSeconds },
        'page not delivered in time; left to Alertmanager (the alert rule on wedsync_agent_page_condition fires)',
      );
    }
    return verdict === 'send';
  }
}
