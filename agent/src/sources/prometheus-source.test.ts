import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { targetSchema } from '../config/schema';
import { PrometheusSource } from './prometheus-source';

/** A Prometheus HTTP API stand-in that records queries and answers what the test scripts. */
class PromStandIn {
  server!: Server;
  url = '';
  requests: Array<{ path: string; params: URLSearchParams; auth?: string }> = [];
  answer: (req: IncomingMessage, params: URLSearchParams) => { status?: number; body?: unknown; delayMs?: number } = () => ({ body: {} });
  async start() {
    this.server = createServer((req, res) => {
      const u = new URL(req.url!, 'http://x');
      this.requests.push({ path: u.pathname, params: u.searchParams, auth: req.headers.authorization });
      const a = this.answer(req, u.searchParams);
      setTimeout(() => {
        res.statusCode = a.status ?? 200;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(a.body));
      }, a.delayMs ?? 0).unref();
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

const target = targetSchema.parse({
  id: 'api',
  kubernetes: { namespace: 'ns', name: 'api' },
  load: { source: 'prom', query: 'sum(rate(http_requests_total[1m]))' },
  capacityPerPod: 10,
  maxReplicas: 5,
});
const vector = (...values: Array<[number, string]>) => ({
  status: 'success',
  data: { resultType: 'vector', result: values.map((value) => ({ metric: {}, value })) },
});

describe('PrometheusSource against a local Prometheus API stand-in', () => {
  const prom = new PromStandIn();
  beforeAll(() => prom.start());
  afterAll(() => prom.stop());
  beforeEach(() => (prom.requests = []));

  /** Answers the load query with `load` and the freshness query (max(timestamp(…))) with `newest`. */
  const byQuery = (load: unknown, newest: unknown) => (_req: IncomingMessage, params: URLSearchParams) => ({
    body: params.get('query')!.startsWith('max(timestamp(') ? newest : load,
  });

  it('reads an instant vector at the agent clock, with the bearer token, and asks for the newest sample time', async () => {
    prom.answer = byQuery(vector([1812000001, '123.25']), vector([1812000001, '1812000000.5']));
    const src = new PrometheusSource({ url: prom.url + '/prom/', timeoutSeconds: 1, bearerToken: 'tok' });
    expect(await src.read(target, 1812000001000)).toEqual({ ok: true, value: 123.25, atMs: 1812000000500 });
    expect(prom.requests.map((r) => r.path)).toEqual(['/prom/api/v1/query', '/prom/api/v1/query']);
    expect(prom.requests.map((r) => r.params.get('query')).sort()).toEqual(['max(timestamp(http_requests_total))', 'sum(rate(http_requests_total[1m]))']);
    expect(prom.requests.map((r) => r.params.get('time'))).toEqual(['1812000001.000', '1812000001.000']);
    expect(prom.requests.map((r) => r.auth)).toEqual(['Bearer tok', 'Bearer tok']);
  });

  it('a value served from the lookback is as old as its newest sample, not the evaluation time', async () => {
    prom.answer = byQuery(vector([1812000180, '5']), vector([1812000180, '1812000000']));
    const src = new PrometheusSource({ url: prom.url, timeoutSeconds: 1 });
    expect(await src.read(target, 1812000180000)).toEqual({ ok: true, value: 5, atMs: 1812000000000 });
  });

  it.each<[string, unknown, RegExp]>([
    ['no sample within the lookback', vector(), /^stale: /],
    ['a failed freshness query', { status: 'error', error: 'boom' }, /^freshness query failed: HTTP 200: boom/],
  ])('does not trust a value whose age it cannot tell: %s', async (_n, newest, message) => {
    prom.answer = byQuery(vector([1812000180, '5']), newest);
    const src = new PrometheusSource({ url: prom.url, timeoutSeconds: 1 });
    expect(await src.read(target, 1812000180000)).toMatchObject({ ok: false, error: expect.stringMatching(message) });
  });

  it.each<[string, () => { status?: number; body?: unknown; delayMs?: number }, RegExp]>([
    ['an empty result is no data, not zero', () => ({ body: vector() }), /empty result/],
    ['several series', () => ({ body: vector([1, '1'], [1, '2']) }), /returned 2 series; wrap it in sum\(\)/],
    ['NaN', () => ({ body: vector([1, 'NaN']) }), /not a number/],
    ['a query error', () => ({ status: 400, body: { status: 'error', error: 'parse error at char 5' } }), /HTTP 400: parse error/],
    ['a server error', () => ({ status: 503, body: 'overloaded' }), /HTTP 503/],
    ['a timeout', () => ({ delayMs: 1500, body: vector([1, '1']) }), /timeout after 0.2s/],
  ])('turns %s into an error value', async (_n, answer, message) => {
    prom.answer = answer;
    const src = new PrometheusSource({ url: prom.url, timeoutSeconds: 0.2 });
    const r = await src.read(target, 1000);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
  });

  it('reports an unreachable server as an error value', async () => {
    const src = new PrometheusSource({ url: 'http://127.0.0.1:1', timeoutSeconds: 1 });
    const r = await src.read(target, 1000);
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/fetch failed|ECONNREFUSED/) });
  });

  it('backfills history through query_range in chunks', async () => {
    prom.answer = (_req, params) => {
      const start = Number(params.get('start'));
      const end = Number(params.get('end'));
      const values: Array<[number, string]> = [];
      for (let t = start; t <= end; t += 60) values.push([t, String(t % 1000)]);
      return { body: { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } } };
    };
    const src = new PrometheusSource({ url: prom.url, timeoutSeconds: 1 });
    const from = 1_800_000_000_000;
    const points = await src.history(target, from, from + 25_000 * 60_000, 60_000);
    expect(Array.isArray(points) && points.length).toBe(25_000);
    expect(prom.requests.map((r) => r.path)).toEqual(['/api/v1/query_range', '/api/v1/query_range', '/api/v1/query_range']);
    expect(prom.requests[0].params.get('step')).toBe('60s');
    const ts = (points as Array<{ tMs: number }>).map((p) => p.tMs);
    expect(new Set(ts).size).toBe(ts.length); // chunks do not overlap
  });
});
