/**
 * PagerDuty delivery with `@pagerduty/pdjs` (Events API v2, `POST https://{server}/v2/enqueue`).
 *
 * pdjs quirks handled here (see RECIPES.md): it speaks only HTTPS to `server`, so tests pass an
 * `https.Agent` trusting their self-signed stand-in; a 400 does not throw, so success is `status === 202`;
 * `requestTimeout: 0` stops it leaving a 30 s timer alive after a failure (our abort signal bounds the
 * request instead); and it retries 429s itself after `retryTimeout` (20 s by default, real time) — set to 0
 * so a 429 comes straight back to the queue, which honours Retry-After with its own backoff.
 */
import type { Agent as HttpsAgent } from 'node:https';
import { event } from '@pagerduty/pdjs';
import type { EventParameters } from '@pagerduty/pdjs/build/src/events';
import { httpFailure } from '../retry';
import type { SendOutcome, Transport } from '../../contracts/sink';
import { toPagerDutyEvent, type EventContext } from './pagerduty-events';
import type { PageEvent } from './page-tracker';

export interface PagerDutyTransportOptions extends EventContext {
  /** host[:port] of the Events API. */
  server: string;
  /** TLS agent (a stand-in's CA in tests); Node's default otherwise. */
  agent?: HttpsAgent;
}

export class PagerDutyTransport implements Transport<PageEvent> {
  constructor(private readonly opts: PagerDutyTransportOptions) {}

  async send(batch: PageEvent[], signal: AbortSignal): Promise<SendOutcome> {
    // The Events API takes one event per request; the queue sends batches of one, so this loop is a guard.
    for (const e of batch) {
      const params = {
        data: toPagerDutyEvent(e, this.opts),
        server: this.opts.server,
        requestTimeout: 0,
        retryTimeout: 0,
        signal,
        ...(this.opts.agent ? { agent: this.opts.agent } : {}),
      } as EventParameters;
      try {
        const res = await event(params);
        if (res.status !== 202) return httpFailure(res.status, res.headers.get('retry-after'), Date.now(), JSON.stringify(res.data ?? ''));
      } catch (err) {
        // pdjs parses every answer as JSON: a gateway's HTML 502 lands here too, and is worth retrying.
        return { ok: false, retryable: true, error: err instanceof Error ? err.message : String(err) };
      }
    }
    return { ok: true };
  }
}
