/**
 * FleetSource against a local HTTP stand-in of the Prometheus query API: the four queries it sends, a
 * good answer, a slow store (timeout = missing data, never a lost peer) and an error answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from '../api/listen';
import { silentLogger } from '../util/logger';
import { fleetSchema } from '../config/fleet-config';
import { FleetSource, fleetQueries } from './fleet-source';
import type { FleetStatus } from './peer-assessment';

const NOW = 1_800_000_000_000;
type Mode = 'ok' | 'hang' | 'error';

async function standIn(mode: () => Mode) {
  const queries: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams.get('query') ?? '';
    queries.push(q);
    const m = mode();
    if (m === 'hang') return; // never answers
    if (m === 'error')
      return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"error","errorType":"unavailable","error":"store down"}');
    const series = (value: (c: string) => number) => ['eu-a', 'eu-b'].map((cluster) => ({ metric: { cluster }, value: [NOW / 1000, String(value(cluster))] }));
    const result = q.includes('timestamp(') ? series(() => NOW / 1000 - 2) : series(() => 10);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, queries, close: () => closeServer(server) };
}

describe('FleetSource (local stand-in of the Prometheus query API)', () => {
  let mode: Mode = 'ok';
  let store: Awaited<ReturnType<typeof standIn>>;
  beforeAll(async () => (store = await standIn(() => mode)));
  afterAll(() => store.close());

  const source = (published: FleetStatus[]) =>
    new FleetSource({
      config: fleetSchema.parse({ query: store.url, peers: ['eu-b'], intervalSeconds: 1, timeoutSeconds: 1, staleAfterSeconds: 30 }),
      cluster: 'eu-a',
      publish: (s) => published.push(s),
      logger: silentLogger,
      wallClock: () => NOW,
    });

  test('asks the four questions over this cluster and its peers, and judges the answer', async () => {
    mode = 'ok';
    const published: FleetStatus[] = [];
    await source(published).poll();
    expect(published.at(0)).toMatchObject({ dataOk: false, error: 'not queried yet' });
    expect(published.at(-1)).toMatchObject({ dataOk: true, checkedAtMs: NOW, peers: [{ cluster: 'eu-b', health: 'up', lastSeenMs: NOW - 2000 }] });
    expect(store.queries.slice(-4).sort()).toEqual(Object.values(fleetQueries(['eu-a', 'eu-b'])).sort());
    expect(fleetQueries(['eu-a', 'eu.b']).lastSample).toBe('max by (cluster) (timestamp(wedsync_agent_info{cluster=~"eu-a|eu\\\\.b"}))');
  });

  test('a store slower than timeoutSeconds is missing data: the round ends on time, the peer keeps its health', async () => {
    const published: FleetStatus[] = [];
    const fleet = source(published);
    mode = 'ok';
    await fleet.poll();
    mode = 'hang';
    const started = Date.now();
    await fleet.poll();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(published.at(-1)).toMatchObject({
      dataOk: false,
      error: expect.stringMatching(/^global store query failed: timeout after 1s/),
      peers: [{ health: 'up' }],
    });
  });

  test("an error answer is missing data too, with the store's message", async () => {
    mode = 'error';
    const published: FleetStatus[] = [];
    await source(published).poll();
    expect(published.at(-1)).toMatchObject({ dataOk: false, error: 'global store query failed: HTTP 503: store down', peers: [{ health: 'unknown' }] });
  });
});
