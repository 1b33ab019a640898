import request from 'supertest';
import http from 'node:http';
import net from 'node:net';
import { startTestApi, snapshot, NOW, type TestApi } from './__fixtures__/harness';
import { ingestResultSchema } from './schemas';
import type { Role } from '../config/schema';
import type { ApiConfig } from '../config/schema';
import type { ServerTimeouts } from './listen';

let api: TestApi;
const start = async (cfg: Partial<ApiConfig> = {}, timeouts?: Partial<ServerTimeouts>) => {
  api = await startTestApi(cfg, { timeouts });
};
afterEach(() => api.close());

const ingest = (body: unknown, role: Role | null = 'operator') => {
  const r = request(api.base).post('/api/v1/ingest');
  return (role ? r.set(api.auth(role)) : r).send(body as object);
};
// n points, one a second, the last at `until` (a client's recent history).
const points = (n: number, until = NOW) => Array.from({ length: n }, (_, i) => [until - (n - 1 - i) * 1000, i] as [number, number]);

describe('POST /ingest', () => {
  beforeEach(() => start());

  it('feeds watched series into the push source; the targets read the latest point', async () => {
    const res = await ingest({
      series: [
        {
          name: 'api_rps',
          points: [
            [NOW - 2000, 10],
            [NOW, 42],
            [NOW - 1000, 20],
          ],
        },
      ],
    }).expect(200);
    expect(ingestResultSchema.parse(res.body)).toEqual({
      accepted: 3,
      rejected: { unwatched: 0, future: 0, out_of_order: 0, negative: 0, non_finite: 0, series_limit: 0, implausible: 0 },
      series: 1,
    });
    const target = api.state.targets.get('api')!.config;
    expect(await api.push.read(target, NOW)).toEqual({ ok: true, value: 42, atMs: NOW });
    expect(await api.registry.getSingleMetricAsString('wedsync_agent_ingested_samples_total')).toMatch(/ 3$/m);
  });

  it("refuses a load far outside the target's plausible range (1e39), counting it, and keeps the series' reading (issue 24, defect 8)", async () => {
    await ingest({ series: [{ name: 'api_rps', points: [[NOW - 1000, 100]] }] }).expect(200);
    const res = await ingest({ series: [{ name: 'api_rps', points: [[NOW, 1e39]] }] }).expect(200);
    expect(res.body).toMatchObject({ accepted: 0, rejected: { implausible: 1 } });
    expect(await api.push.read(api.state.targets.get('api')!.config, NOW)).toMatchObject({ ok: true, value: 100 });
    expect(await api.registry.getSingleMetricAsString('wedsync_agent_ingest_points_rejected_total')).toMatch(/reason="implausible"} 1/);
  });

  it('matches labelled series whatever the label order', async () => {
    await ingest({ series: [{ name: 'svc_2_rps', labels: { env: 'prod' }, points: [[NOW, 7]] }] }).expect(200);
    expect(await api.push.read(api.state.targets.get('svc-2')!.config, NOW)).toMatchObject({ ok: true, value: 7 });
  });

  it('ignores (and counts) series no target watches, storing nothing', async () => {
    const res = await ingest({
      series: [
        { name: 'random_series', points: points(5) },
        { name: 'api_rps', labels: { env: 'dev' }, points: points(2) },
      ],
    }).expect(200);
    expect(res.body).toMatchObject({ accepted: 0, rejected: { unwatched: 7 }, series: 2 });
    expect(api.push.seriesCount).toBe(0);
    expect(await api.registry.getSingleMetricAsString('wedsync_agent_ingest_points_rejected_total')).toMatch(/reason="unwatched"} 7/);
  });

  it.each([
    [{}, 'series'],
    [{ series: [{ name: '', points: [] }] }, 'series[0].name'],
    [{ series: [{ name: 'api_rps', points: [[NOW]] }] }, 'series[0].points[0]'],
    [{ series: [{ name: 'api_rps', points: [[NOW, 'x']] }] }, 'series[0].points[0][1]'],
    [{ series: [{ name: 'api_rps', points: [[-5, 1]] }] }, 'series[0].points[0][0]'],
    [{ series: [{ name: 'api_rps', points: [[NOW, 1]], labels: { a: 1 } }] }, 'series[0].labels.a'],
    [{ series: [{ name: 'api_rps', points: [[NOW, 1]], extra: true }] }, 'series[0]'],
  ])('400 for %j naming %s; nothing is stored', async (body, fieldName) => {
    const before = snapshot(api);
    const res = await ingest(body).expect(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toContain(fieldName);
    expect(snapshot(api)).toBe(before);
  });

  it('401 anonymous, 403 for viewers and coordinators', async () => {
    await ingest({ series: [] }, null).expect(401);
    await ingest({ series: [] }, 'viewer').expect(403);
    await ingest({ series: [] }, 'coordinator').expect(403);
    await ingest({ series: [] }, 'admin').expect(200);
  });

  it('415 unless the body is JSON', async () => {
    await request(api.base).post('/api/v1/ingest').set(api.auth('operator')).set('Content-Type', 'text/plain').send('api_rps 1').expect(415);
    await request(api.base).post('/api/v1/ingest').set(api.auth('operator')).expect(415);
    // Declared JSON but empty: a 400 naming what is missing, not a 415.
    const empty = await request(api.base).post('/api/v1/ingest').set(api.auth('operator')).set('Content-Type', 'application/json').expect(400);
    expect(empty.body.details.map((d: { field: string }) => d.field)).toContain('series');
  });
});

describe('POST /ingest bounds', () => {
  it('413 for a batch over api.maxIngestSamples, counted, nothing stored', async () => {
    await start({ maxIngestSamples: 100 });
    const res = await ingest({ series: [{ name: 'api_rps', points: points(101) }] }).expect(413);
    expect(res.body.error).toMatch(/101 samples; the limit is 100 \(api.maxIngestSamples\)/);
    expect(api.push.seriesCount).toBe(0);
    await ingest({ series: [{ name: 'api_rps', points: points(100) }] }).expect(200);
  });

  it('413 for a body over the byte limit before parsing it', async () => {
    await start({ maxIngestSamples: 10 });
    const res = await request(api.base)
      .post('/api/v1/ingest')
      .set(api.auth('operator'))
      .set('Content-Type', 'application/json')
      .send(`{"series":[],"pad":"${'x'.repeat(80_000)}"}`)
      .expect(413);
    expect(res.body.error).toMatch(/too large/);
  });

  it('429 with Retry-After when over the samples/s budget; the bucket refills with the (fake) clock', async () => {
    await start({ ingestSamplesPerSecond: 1000 });
    await ingest({ series: [{ name: 'api_rps', points: points(800) }] }).expect(200);
    const res = await ingest({ series: [{ name: 'api_rps', points: points(800) }] }).expect(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(await api.registry.getSingleMetricAsString('wedsync_agent_ingest_points_rejected_total')).toMatch(/reason="saturated"} 800/);
    api.clock.advance(1000);
    await ingest({ series: [{ name: 'api_rps', points: points(800) }] }).expect(200);
  });

  it('429 before reading the body when too many ingests are in flight', async () => {
    await start({ ingestMaxConcurrent: 1 });
    // Open one ingest and leave its body unfinished: it holds the only slot.
    const url = new URL(`${api.base}/api/v1/ingest`);
    const held = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: { ...api.auth('operator'), 'Content-Type': 'application/json', 'Content-Length': '1000' },
    });
    held.on('error', () => undefined);
    held.write('{"series":');
    // The held request reaches the server in its own time: probe (harmlessly) until the slot is taken.
    let res = await ingest({ series: [] });
    for (let i = 0; i < 100 && res.status !== 429; i++) res = await ingest({ series: [] });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    held.destroy();
    for (let i = 0; i < 100 && res.status !== 200; i++) res = await ingest({ series: [] });
    expect(res.status).toBe(200);
  });

  it('slow-loris clients (headers or body a byte at a time) are cut off, so a normal ingest still answers 2xx (raw sockets on 127.0.0.1)', async () => {
    // Short timeouts so the test takes ~1 s; the agent's own are 10 s for headers, 15 s for a request.
    await start({ ingestMaxConcurrent: 8 }, { requestTimeoutMs: 600, headersTimeoutMs: 400, checkIntervalMs: 100 });
    const url = new URL(api.base);
    const head = `POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: ${api.auth('operator').Authorization}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;
    const closed: boolean[] = [];
    const drips = Array.from({ length: 16 }, (_, i) => {
      const sock = net.connect(Number(url.port), url.hostname);
      sock.on('error', () => undefined);
      sock.on('close', () => (closed[i] = true));
      // Half send all headers and then a body byte by byte (each holds an ingest slot); half send headers byte by byte.
      const text = i < 8 ? head + '{"series":[' : head;
      let at = i < 8 ? text.length : 0;
      if (at) sock.write(text);
      const timer = setInterval(() => sock.writable && sock.write(at < text.length ? text[at++] : ' '), 50);
      return { sock, timer };
    });
    try {
      // Let the body drips take every slot first.
      await new Promise((r) => setTimeout(r, 150));
      let res = await ingest({ series: [{ name: 'api_rps', points: points(3) }] });
      const deadline = Date.now() + 5000;
      while (res.status === 429 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        res = await ingest({ series: [{ name: 'api_rps', points: points(3) }] });
      }
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(3);
      // The server cuts each slow client at its own timeout; the closes reach us in their own time.
      for (let i = 0; i < 40 && closed.filter(Boolean).length < 16; i++) await new Promise((r) => setTimeout(r, 50));
      expect(closed.filter(Boolean).length).toBe(16);
    } finally {
      for (const d of drips) {
        clearInterval(d.timer);
        d.sock.destroy();
      }
    }
  });
});
