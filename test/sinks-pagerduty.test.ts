/**
 * PagerDuty sink → local HTTPS stand-in of the Events API v2, with the real @pagerduty/pdjs. pdjs only
 * builds https:// URLs, so the stand-in has a self-signed certificate (openssl) that the sink's TLS agent trusts.
 */
import { Agent as HttpsAgent } from 'node:https';
import { METRIC } from '../agent/src/metrics/names';
import { fixtureState, SATURDAY_4PM, sourceDown } from '../agent/src/sinks/__fixtures__/condition-fixtures';
import type { PagerDutySink } from '../agent/src/sinks/pagerduty/pagerduty-sink';
import { buildSinks } from '../agent/src/app/sink-registry';
import { metricValue, testDeps } from '../agent/src/sinks/__fixtures__/sink-test-helpers';
import { loadSinkConfigs, quiet, selfSignedCert, startCaptureServer, type CaptureServer, type TlsMaterial } from './sinks-capture';

// Real servers and (for Datadog) a 2–4 s client load on a shared 2-core machine: allow more than Jest's 5 s.
jest.setTimeout(30_000);

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdef012345';
const DASHBOARD = 'https://grafana.example/d/wedsync-overview/wedsync?orgId=1';
let tls: TlsMaterial;
let server: CaptureServer;
let agent: HttpsAgent;

beforeAll(() => {
  tls = selfSignedCert();
});
beforeEach(async () => {
  server = await startCaptureServer({ tls, respond: () => ({ status: 202, body: '{"status":"success","message":"Event processed"}' }) });
  agent = new HttpsAgent({ ca: tls.cert, keepAlive: false });
});
afterEach(async () => {
  agent.destroy();
  await server.close();
});

function pagerDutySink(extra: Record<string, unknown> = {}) {
  // Pages at the first refused write, as `paging.scaleBlockedAfterSeconds: 0` would.
  const deps = testDeps({
    pagerDutyAgent: agent,
    paging: { overloadUtilization: 1, overloadedAfterSeconds: 120, scaleBlockedAfterSeconds: 0, unreachableAfterSeconds: 120, peerLostAfterSeconds: 0 },
  });
  const [cfg] = loadSinkConfigs([{ type: 'pagerduty', routingKey: '${PD_ROUTING_KEY}', server: server.hostPort, dashboardUrl: DASHBOARD, ...extra }], {
    PD_ROUTING_KEY: ROUTING_KEY,
  });
  const [{ sink, intervalMs }] = buildSinks([cfg], deps);
  expect(intervalMs).toBe(0);
  return { sink: sink as PagerDutySink, deps };
}

/** The leader's scale write to checkout is refused (RBAC) during the Saturday wedding. */
const down = (now: number) =>
  fixtureState(now, (t) => {
    t.checkout.lastScaleError = 'HTTP-Code: 403 Forbidden';
    t.checkout.decision = { ...t.checkout.decision!, desiredReplicas: 6 };
  });

describe('PagerDuty sink against a local HTTPS Events API stand-in (real @pagerduty/pdjs)', () => {
  test('triggers on a critical condition, stays quiet while it holds, resolves with the same dedup key', async () => {
    const { sink, deps } = pagerDutySink();
    sink.export({ atMs: SATURDAY_4PM, samples: [], state: down(SATURDAY_4PM) });
    await quiet(sink);
    sink.export({ atMs: SATURDAY_4PM + 15_000, samples: [], state: down(SATURDAY_4PM + 15_000) });
    await quiet(sink);
    sink.export({ atMs: SATURDAY_4PM + 30_000, samples: [], state: fixtureState(SATURDAY_4PM + 30_000) });
    await quiet(sink);

    expect(server.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/v2/enqueue'],
      ['POST', '/v2/enqueue'],
    ]);
    const [trigger, resolve] = server.requests.map((r) => JSON.parse(r.body));
    expect(trigger).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'wedsync/test/scale-blocked/checkout',
      payload: { severity: 'critical', source: 'wedsync-agent/test', component: 'checkout', class: 'scale-blocked', group: 'test' },
      links: [{ href: `${DASHBOARD}&var-target=checkout`, text: 'WedSync dashboard' }],
    });
    expect(trigger.payload.summary).toContain('checkout cannot be scaled to 6 replicas (runs 3): HTTP-Code: 403 Forbidden');
    expect(resolve).toEqual({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: trigger.dedup_key });
    expect(server.requests[0].headers['content-type']).toContain('application/json');
    expect(await metricValue(deps.registry, METRIC.pagesTotal, { action: 'trigger', kind: 'scale-blocked' })).toBe(1);
    expect(await metricValue(deps.registry, METRIC.pagesTotal, { action: 'resolve' })).toBe(1);
  });

  test('two replicas: only the leader sends; a standby that takes over re-sends nothing open and resolves it once', async () => {
    const leaderSink = pagerDutySink().sink;
    const standbySink = pagerDutySink().sink;
    const at = (ms: number, leader: boolean, failing: boolean) =>
      fixtureState(SATURDAY_4PM + ms, (t, state) => {
        state.info.leader = leader;
        if (failing) sourceDown(t.checkout, SATURDAY_4PM + ms);
      });
    for (const ms of [0, 130_000]) {
      leaderSink.export({ atMs: SATURDAY_4PM + ms, samples: [], state: at(ms, true, true) });
      standbySink.export({ atMs: SATURDAY_4PM + ms, samples: [], state: at(ms, false, true) });
      await quiet(leaderSink);
      await quiet(standbySink);
    }
    expect(server.requests.map((r) => (JSON.parse(r.body) as { event_action: string }).event_action)).toEqual(['trigger']);
    // The leader dies; the standby takes the Lease while the source is still down, then the source recovers.
    standbySink.export({ atMs: SATURDAY_4PM + 145_000, samples: [], state: at(145_000, true, true) });
    await quiet(standbySink);
    standbySink.export({ atMs: SATURDAY_4PM + 160_000, samples: [], state: at(160_000, true, false) });
    await quiet(standbySink);
    const events = server.requests.map((r) => JSON.parse(r.body) as { event_action: string; dedup_key: string });
    expect(events.map((e) => [e.event_action, e.dedup_key])).toEqual([
      ['trigger', 'wedsync/test/load-source-unreachable/prom'],
      ['resolve', 'wedsync/test/load-source-unreachable/prom'],
    ]);
  });

  test('a 503 is retried after backoff; a 400 (pdjs does not throw) is dropped and counted', async () => {
    const { sink, deps } = pagerDutySink();
    server.respond(() => ({ status: 503, body: '{"status":"unavailable"}' }));
    sink.export({ atMs: SATURDAY_4PM, samples: [], state: down(SATURDAY_4PM) });
    await quiet(sink);
    expect(sink.health()).toMatchObject({ healthy: false, queueLength: 1, lastError: 'HTTP 503: {"status":"unavailable"}' });
    server.respond(() => ({ status: 202, body: '{"status":"success"}' }));
    deps.timers.advance(1000);
    await quiet(sink);
    expect(server.requests.map((r) => r.status)).toEqual([503, 202]);
    expect(JSON.parse(server.requests[1].body).event_action).toBe('trigger');

    server.respond(() => ({ status: 400, body: '{"status":"invalid event","errors":["Event object is invalid"]}' }));
    sink.export({ atMs: SATURDAY_4PM + 15_000, samples: [], state: fixtureState(SATURDAY_4PM + 15_000) });
    await quiet(sink);
    deps.timers.advance(60_000);
    await quiet(sink);
    expect(server.requests.map((r) => r.status)).toEqual([503, 202, 400]);
    expect(await metricValue(deps.registry, METRIC.sinkDroppedSamplesTotal, { sink: 'pagerduty', reason: 'rejected' })).toBe(1);
  });

  test('a 429 reaches the queue after the immediate retries pdjs makes itself, and the queue honours Retry-After', async () => {
    const { sink, deps } = pagerDutySink({ handOffAfterSeconds: 120 });
    server.respond(() => ({ status: 429, headers: { 'retry-after': '30' }, body: '{"status":"throttled"}' }));
    sink.export({ atMs: SATURDAY_4PM, samples: [], state: down(SATURDAY_4PM) });
    await quiet(sink);
    // pdjs retries a 429 three times by itself (retryTimeout 0 keeps that immediate), then hands it back.
    expect(server.requests.map((r) => r.status)).toEqual([429, 429, 429, 429]);
    expect(sink.health()).toMatchObject({ healthy: false, queueLength: 1 });
    server.respond(() => ({ status: 202, body: '{"status":"success"}' }));
    deps.timers.advance(29_999);
    await quiet(sink);
    expect(server.requests).toHaveLength(4);
    deps.timers.advance(1);
    await quiet(sink);
    expect(server.requests.map((r) => r.status)).toEqual([429, 429, 429, 429, 202]);
    expect(await metricValue(deps.registry, METRIC.sinkFailedExportsTotal, { sink: 'pagerduty', reason: '429' })).toBe(1);
  });

  test('delivered: exports wedsync_agent_page_delivered until the resolve (the alert rule stands back meanwhile)', async () => {
    const { sink, deps } = pagerDutySink();
    sink.export({ atMs: SATURDAY_4PM, samples: [], state: down(SATURDAY_4PM) });
    await quiet(sink);
    expect(await metricValue(deps.registry, METRIC.pageDelivered, { sink: 'pagerduty', kind: 'scale-blocked', subject: 'checkout' })).toBe(1);
    sink.export({ atMs: SATURDAY_4PM + 15_000, samples: [], state: fixtureState(SATURDAY_4PM + 15_000) });
    await quiet(sink);
    expect(await metricValue(deps.registry, METRIC.pageDelivered)).toBe(0);
    expect(server.accepted().map((r) => JSON.parse(r.body).event_action)).toEqual(['trigger', 'resolve']);
  });

  test('PagerDuty unreachable past handOffAfterSeconds: the trigger is left to Alertmanager, counted, and neither it nor its resolve is sent later', async () => {
    const { sink, deps } = pagerDutySink({ handOffAfterSeconds: 30 });
    server.respond(() => ({ status: 503, body: '{"status":"unavailable"}' }));
    sink.export({ atMs: SATURDAY_4PM, samples: [], state: down(SATURDAY_4PM) });
    await quiet(sink);
    server.respond(() => ({ status: 202, body: '{"status":"success"}' }));
    // Backoff past the point where a request could still finish before the hand-off (30 s − 10 s timeout).
    deps.timers.advance(21_000);
    await quiet(sink);
    expect(server.requests.map((r) => r.status)).toEqual([503]);
    expect(await metricValue(deps.registry, METRIC.pageHandOffsTotal, { sink: 'pagerduty', kind: 'scale-blocked' })).toBe(1);
    expect(await metricValue(deps.registry, METRIC.pageDelivered)).toBe(0);
    expect(sink.health().queueLength).toBe(0);
    // Still failing, then recovered: no late trigger, no resolve for a page the sink never opened.
    sink.export({ atMs: SATURDAY_4PM + 30_000, samples: [], state: down(SATURDAY_4PM + 30_000) });
    sink.export({ atMs: SATURDAY_4PM + 45_000, samples: [], state: fixtureState(SATURDAY_4PM + 45_000) });
    await quiet(sink);
    expect(server.requests.map((r) => r.status)).toEqual([503]);
    // The next occurrence is the sink's again.
    sink.export({ atMs: SATURDAY_4PM + 60_000, samples: [], state: down(SATURDAY_4PM + 60_000) });
    await quiet(sink);
    expect(server.accepted().map((r) => JSON.parse(r.body).event_action)).toEqual(['trigger']);
  });
});
