/**
 * The hand-off between the agent's own PagerDuty sink and Alertmanager, so that with both paths on one
 * fault opens exactly one incident. Pure bookkeeping on an injected clock; no I/O.
 *
 * Each time a condition opens (one "episode" of its dedup key) the sink has `handOffMs` to deliver the
 * trigger. Delivered: the agent exports `wedsync_agent_page_delivered{kind, subject}` = 1 and the alert
 * rule (`page_condition unless on (cluster, kind, subject) page_delivered`, with a `for` longer than the
 * hand-off) never fires. Not delivered in time: the sink gives the episode up (counted) and never sends
 * its trigger, a later severity update or its resolve; the alert rule fires and Alertmanager owns the
 * incident, trigger and resolve. A new episode (the condition cleared and came back) starts afresh.
 *
 * A trigger is only *started* while `now + requestTimeoutMs ≤ deadline`: a request that starts later could
 * land in PagerDuty after Alertmanager took over.
 */
import type { ConditionKind, CriticalCondition } from '../../paging/conditions';
import type { PageEvent } from './page-tracker';

type EpisodeState = 'pending' | 'delivered' | 'handed-off';

interface Episode {
  kind: ConditionKind;
  subject: string;
  deadlineMs: number;
  state: EpisodeState;
}

export type Verdict = 'send' | 'skip' | 'hand-off';

export interface HandOffListener {
  /** The trigger of an episode reached PagerDuty: export the delivered series. */
  delivered(kind: ConditionKind, subject: string): void;
  /** An episode's page is closed (resolved, or left to Alertmanager): drop the delivered series. */
  closed(kind: ConditionKind, subject: string): void;
}

export class PageHandOff {
  /** The open episode of each dedup key. */
  private readonly current = new Map<string, Episode>();
  /** Which episode each queued event belongs to. */
  private readonly episodeOf = new WeakMap<PageEvent, Episode | null>();

  constructor(
    private readonly handOffMs: number,
    private readonly requestTimeoutMs: number,
    private readonly listener: HandOffListener = { delivered() {}, closed() {} },
  ) {}

  /** Records the tracker's events as they are queued (`nowMs` on the sink's clock). */
  queued(events: readonly PageEvent[], nowMs: number): void {
    for (const e of events) {
      let episode = this.current.get(e.dedupKey) ?? null;
      if (e.action === 'trigger') {
        if (!episode) {
          episode = { kind: e.kind, subject: e.condition.subject, deadlineMs: nowMs + this.handOffMs, state: 'pending' };
          this.current.set(e.dedupKey, episode);
        }
      } else if (episode) {
        this.current.delete(e.dedupKey);
        if (episode.state === 'delivered') this.listener.closed(episode.kind, episode.subject);
      }
      this.episodeOf.set(e, episode);
    }
  }

  /**
   * A page this sink delivered before a restart and still holds open (restored from a snapshot of the
   * tracker): exports its delivered series again at once, so the alert rule does not take it over, and
   * lets its resolve through.
   */
  adoptDelivered(dedupKey: string, kind: ConditionKind, subject: string): void {
    if (this.current.has(dedupKey)) return;
    this.current.set(dedupKey, { kind, subject, deadlineMs: -Infinity, state: 'delivered' });
    this.listener.delivered(kind, subject);
  }

  /**
   * Called with the tracker's open pages before each evaluation. Every page the tracker opens goes
   * through `queued` first, so one it holds without an episode here was restored from a snapshot of
   * pages PagerDuty was told about (delivered triggers only): adopt it as delivered.
   */
  adoptOpen(open: readonly Pick<CriticalCondition, 'dedupKey' | 'kind' | 'subject'>[]): void {
    for (const c of open) if (!this.current.has(c.dedupKey)) this.adoptDelivered(c.dedupKey, c.kind, c.subject);
  }

  /** Just before an event is sent: send it, skip it silently, or hand its episode to Alertmanager. */
  verdict(e: PageEvent, nowMs: number): Verdict {
    const episode = this.episodeOf.get(e);
    if (!episode) return 'skip';
    if (e.action === 'resolve') return episode.state === 'delivered' ? 'send' : 'skip';
    if (episode.state === 'handed-off') return 'skip';
    if (episode.state === 'pending' && nowMs + this.requestTimeoutMs > episode.deadlineMs) {
      episode.state = 'handed-off';
      return 'hand-off';
    }
    return 'send';
  }

  /** After PagerDuty accepted an event. */
  delivered(e: PageEvent): void {
    const episode = this.episodeOf.get(e);
    if (!episode || e.action !== 'trigger' || episode.state === 'delivered') return;
    episode.state = 'delivered';
    if (this.current.get(e.dedupKey) === episode) this.listener.delivered(episode.kind, episode.subject);
  }
}
