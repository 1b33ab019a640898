/**
 * New Relic sink → local HTTP stand-in of the Metric API (the sink uses Node's fetch; see
 * newrelic-transport.ts for why not the `newrelic` APM package).
 */
import { METRIC } from '../agent/src/metrics/names';
import { buildSinks } from '../agent/src/app/sink-registry';
import type { NewRelicSink } from '../agent/src/sinks/newrelic/newrelic-sink';
import { metricValue, sample, samplesInput, testDeps } from '../agent/src/sinks/__fixtures__/sink-test-helpers';
import { loadSinkConfigs, quiet, startCaptureServer, type CaptureServer } from './sinks-capture';

// Real servers and (for Datadog) a 2–4 s client load on a shared 2-core machine: allow more than Jest's 5 s.
jest.setTimeout(30_000);

const KEY = 'NRAK-TESTLICENSEKEY0123456789';
const AT = Date.parse('2026-06-13T15:00:00Z');

let server: CaptureServer;
beforeEach(async () => {
  server = await startCaptureServer({ respond: () => ({ status: 202, body: '{"requestId":"f0e1"}' }) });
});
afterEach(() => server.close());

function newRelicSink(extra: Record<string, unknown> = {}, identity?: () => { cluster: string; provider: string; region: string }) {
  const deps = testDeps(identity ? { identity } : {});
  const [cfg] = loadSinkConfigs([{ type: 'newrelic', licenseKey: '${NEW_RELIC_LICENSE_KEY}', url: server.url, ...extra }], { NEW_RELIC_LICENSE_KEY: KEY });
  const [{ sink }] = buildSinks([cfg], deps);
  return { sink: sink as NewRelicSink, deps };
}

describe('New Relic sink against a local Metric API stand-in', () => {
  test('POSTs gzip JSON to /metric/v1 with the key in the Api-Key header only', async () => {
    const { sink } = newRelicSink();
    sink.export(samplesInput([sample('wedsync_agent_observed_load', 42, AT, { target: 'checkout' })], AT));
    await expect(sink.forceFlush(10_000)).resolves.toEqual({ ok: true, pending: 0 });
    const [req] = server.requests;
    expect(req).toMatchObject({ method: 'POST', path: '/metric/v1' });
    expect(req.headers['api-key']).toBe(KEY);
    expect(req.headers['content-encoding']).toBe('gzip');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).not.toContain(KEY);
    expect(JSON.parse(req.body)).toEqual([
      {
        common: { attributes: { cluster: 'test', service: 'wedsync-agent' } },
        metrics: [{ name: 'wedsync_agent_observed_load', type: 'gauge', value: 42, timestamp: AT, attributes: { seq: '42', target: 'checkout' } }],
      },
    ]);
  });

  test("common attributes carry the agent's cluster, provider and region", async () => {
    const { sink } = newRelicSink({}, () => ({ cluster: 'eu-b', provider: 'gke', region: 'europe-west1' }));
    sink.export(samplesInput([sample('wedsync_agent_observed_load', 42, AT, { target: 'checkout' })], AT));
    await sink.forceFlush(10_000);
    expect((JSON.parse(server.requests[0].body) as Array<{ common: unknown }>)[0].common).toEqual({
      attributes: { cluster: 'eu-b', provider: 'gke', region: 'europe-west1', service: 'wedsync-agent' },
    });
  });

  test('batches at most maxBatch samples per request', async () => {
    const { sink, deps } = newRelicSink({ maxBatch: 3 });
    sink.export(
      samplesInput(
        Array.from({ length: 7 }, (_, i) => sample('m', i, AT)),
        AT,
      ),
    );
    await sink.forceFlush(10_000);
    expect(server.requests.map((r) => (JSON.parse(r.body) as Array<{ metrics: unknown[] }>)[0].metrics.length)).toEqual([3, 3, 1]);
    expect(await metricValue(deps.registry, METRIC.sinkExportedSamplesTotal, { sink: 'newrelic' })).toBe(7);
  });

  test('429 honours Retry-After (HTTP date form); 403 (bad key) is dropped, not retried', async () => {
    const { sink, deps } = newRelicSink();
    const retryAt = new Date(Date.now() + 20_000).toUTCString();
    server.respond(() => ({ status: 429, headers: { 'retry-after': retryAt } }));
    sink.export(samplesInput([sample('m', 1, AT)], AT));
    await quiet(sink);
    server.respond(() => ({ status: 202 }));
    deps.timers.advance(10_000);
    await quiet(sink);
    expect(server.accepted()).toHaveLength(0);
    deps.timers.advance(11_000);
    await quiet(sink);
    expect(server.accepted()).toHaveLength(1);
    expect(await metricValue(deps.registry, METRIC.sinkFailedExportsTotal, { reason: '429' })).toBe(1);

    server.respond(() => ({ status: 403, body: '{"error":"invalid key"}' }));
    sink.export(samplesInput([sample('m', 2, AT), sample('m', 3, AT)], AT));
    await quiet(sink);
    deps.timers.advance(120_000);
    await quiet(sink);
    expect(server.requests).toHaveLength(3);
    expect(sink.health()).toMatchObject({ dropped: 2, queueLength: 0 });
    expect(sink.health().lastError).toContain('HTTP 403');
  });
});
