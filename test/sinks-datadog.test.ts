/**
 * Datadog sink → local HTTP stand-in (the capture server): the agent's own v2 series transport over Node's
 * fetch (datadog-transport.ts says why not the official client).
 */
import { METRIC } from '../agent/src/metrics/names';
import { DatadogSink } from '../agent/src/sinks/datadog/datadog-sink';
import { buildSinks } from '../agent/src/app/sink-registry';
import { metricValue, sample, samplesInput, testDeps } from '../agent/src/sinks/__fixtures__/sink-test-helpers';
import { Writable } from 'node:stream';
import { createLogger } from '../agent/src/util/logger';
import { loadSinkConfigs, quiet, startCaptureServer, type CaptureServer } from './sinks-capture';

// Real servers on a shared 2-core machine: allow more than Jest's 5 s.
jest.setTimeout(30_000);

const KEY = 'dd-test-key-0123456789abcdef';
const AT = Date.parse('2026-06-13T15:00:00Z');

let server: CaptureServer;
beforeEach(async () => {
  server = await startCaptureServer({ respond: () => ({ status: 202, body: '{"errors":[]}' }) });
});
afterEach(() => server.close());

function datadogSink(extra: Record<string, unknown> = {}, logs?: string[], identity?: () => { cluster: string; provider: string; region: string }) {
  const deps = testDeps({
    ...(logs ? { logger: createLogger('info', new Writable({ write: (chunk, _e, done) => (logs.push(String(chunk)), done()) })) } : {}),
    ...(identity ? { identity } : {}),
  });
  const [cfg] = loadSinkConfigs([{ type: 'datadog', apiKey: '${DD_API_KEY}', url: server.url, ...extra }], { DD_API_KEY: KEY });
  const [{ sink }] = buildSinks([cfg], deps);
  return { sink: sink as DatadogSink, deps };
}

describe('Datadog sink against a local stand-in (the capture server)', () => {
  test('POSTs gzip JSON series to /api/v2/series with the key in the DD-API-KEY header only', async () => {
    const { sink } = datadogSink();
    sink.export(
      samplesInput(
        [sample('wedsync_agent_replicas_current', 1, AT, { target: 'checkout' }), sample('wedsync_agent_replicas_current', 2, AT, { target: 'gallery' })],
        AT,
      ),
    );
    await expect(sink.forceFlush(30_000)).resolves.toEqual({ ok: true, pending: 0 });
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v2/series');
    expect(req.headers['dd-api-key']).toBe(KEY);
    expect(req.headers['content-encoding']).toBe('gzip');
    expect(req.body).not.toContain(KEY);
    expect(req.rawBody.includes(KEY)).toBe(false);
    expect(JSON.parse(req.body)).toEqual({
      series: [
        {
          metric: 'wedsync_agent_replicas_current',
          type: 3,
          points: [{ timestamp: AT / 1000, value: 1 }],
          tags: ['cluster:test', 'service:wedsync-agent', 'seq:1', 'target:checkout'],
        },
        {
          metric: 'wedsync_agent_replicas_current',
          type: 3,
          points: [{ timestamp: AT / 1000, value: 2 }],
          tags: ['cluster:test', 'service:wedsync-agent', 'seq:2', 'target:gallery'],
        },
      ],
    });
  });

  test("every series carries the agent's cluster, provider and region, as known at each send (detected after start)", async () => {
    const identity = { cluster: 'eu-a', provider: 'other', region: 'unknown' };
    const { sink } = datadogSink({ gzip: false }, undefined, () => identity);
    sink.export(samplesInput([sample('wedsync_agent_replicas_current', 1, AT, { target: 'checkout' })], AT));
    await sink.forceFlush(30_000);
    Object.assign(identity, { provider: 'eks', region: 'eu-west-1' });
    sink.export(samplesInput([sample('wedsync_agent_replicas_current', 2, AT + 1000, { target: 'checkout' })], AT + 1000));
    await sink.forceFlush(30_000);
    const tags = server.requests.map((r) => (JSON.parse(r.body) as { series: Array<{ tags: string[] }> }).series[0].tags);
    expect(tags).toEqual([
      ['cluster:eu-a', 'provider:other', 'region:unknown', 'service:wedsync-agent', 'seq:1', 'target:checkout'],
      ['cluster:eu-a', 'provider:eks', 'region:eu-west-1', 'service:wedsync-agent', 'seq:2', 'target:checkout'],
    ]);
  });

  test('batches at most maxBatch samples per request; a series backlog becomes one series with several points', async () => {
    const { sink, deps } = datadogSink({ maxBatch: 4 });
    const samples = Array.from({ length: 10 }, (_, i) => ({ ...sample('wedsync_agent_ticks_total', 0, AT + i * 15_000), labels: {}, value: i }));
    sink.export(samplesInput(samples, AT));
    await sink.forceFlush(30_000);
    const bodies = server.requests.map((r) => JSON.parse(r.body) as { series: Array<{ points: unknown[] }> });
    expect(bodies.map((b) => b.series.length)).toEqual([1, 1, 1]);
    expect(bodies.map((b) => b.series[0].points.length)).toEqual([4, 4, 2]);
    expect(await metricValue(deps.registry, METRIC.sinkExportedSamplesTotal, { sink: 'datadog', type: 'datadog' })).toBe(10);
  });

  test('a 503 with Retry-After is retried after the server-given wait; a 400 is dropped, not retried', async () => {
    const { sink, deps } = datadogSink();
    server.respond(() => ({ status: 503, headers: { 'retry-after': '7' }, body: '{"errors":["overloaded"]}' }));
    sink.export(samplesInput([sample('m', 1, AT)], AT));
    await quiet(sink);
    expect(server.requests).toHaveLength(1);
    expect(sink.health()).toMatchObject({ healthy: false, queueLength: 1 });
    expect(sink.health().lastError).toContain('HTTP 503');
    server.respond(() => ({ status: 202, body: '{"errors":[]}' }));
    deps.timers.advance(6_999);
    await quiet(sink);
    expect(server.requests).toHaveLength(1);
    deps.timers.advance(1);
    await quiet(sink);
    expect(server.accepted()).toHaveLength(1);

    server.respond(() => ({ status: 400, body: '{"errors":["Payload is not in the expected format"]}' }));
    sink.export(samplesInput([sample('m', 2, AT)], AT));
    await quiet(sink);
    deps.timers.advance(60_000);
    await quiet(sink);
    expect(server.requests).toHaveLength(3);
    expect(await metricValue(deps.registry, METRIC.sinkDroppedSamplesTotal, { reason: 'rejected' })).toBe(1);
    expect(await metricValue(deps.registry, METRIC.sinkFailedExportsTotal, { reason: '5xx' })).toBe(1);
    expect(await metricValue(deps.registry, METRIC.sinkFailedExportsTotal, { reason: '4xx' })).toBe(1);
  });

  test.each([
    [503, '{"errors":["overloaded"]}', 'HTTP 503: Service Unavailable (overloaded)'],
    [500, '', 'HTTP 500: Internal Server Error'],
  ])('a %d is logged with its code and a readable reason, not "Unknown API Status Code!"', async (status, body, text) => {
    const logs: string[] = [];
    const { sink } = datadogSink({}, logs);
    server.respond(() => ({ status, body }));
    sink.export(samplesInput([sample('m', 1, AT)], AT));
    await quiet(sink);
    expect(sink.health().lastError).toBe(text);
    const line = logs.map((l) => JSON.parse(l) as { msg: string; error?: string }).find((l) => l.msg.startsWith('sink delivery failed'));
    expect(line?.error).toBe(text);
    expect(logs.join('')).not.toContain('Unknown API Status Code');
  });

  test('the site decides the intake URL when no url is given', () => {
    const [cfg] = loadSinkConfigs([{ type: 'datadog', apiKey: '${DD_API_KEY}', site: 'datadoghq.eu' }], { DD_API_KEY: KEY });
    const [{ sink }] = buildSinks([cfg], testDeps());
    expect((sink as DatadogSink).transport.baseUrl).toBe('https://api.datadoghq.eu');
  });
});
