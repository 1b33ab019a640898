import { request as httpRequest, type IncomingMessage } from 'node:http';
import { startTestApi, type TestApi } from './__fixtures__/harness';
import { StreamHub } from './stream-hub';

let api: TestApi;
let hub: StreamHub;
beforeAll(async () => {
  hub = new StreamHub({ maxSubscribers: 3, heartbeatMs: 60_000 });
  api = await startTestApi({}, { stream: hub });
  hub.publish(api.state);
});
afterAll(async () => {
  hub.close();
  await api.close();
});

/** Opens GET /stream with `headers`; resolves with the response once its headers arrive. */
function open(headers: Record<string, string>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${api.base}/api/v1/stream`, { headers }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Reads the body until `pattern` appears. */
function readUntil(res: IncomingMessage, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${text}`)), 5000);
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      text += c;
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

describe('GET /api/v1/stream', () => {
  it("needs a token (401), then streams text/event-stream: a snapshot, then a tick's changes", async () => {
    expect((await open({})).statusCode).toBe(401);
    const res = await open(api.auth('viewer'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    await readUntil(res, /event: snapshot\n/);
    api.state.info.ticks++;
    api.state.targets.get('api')!.observed = { value: 321, atMs: Date.now() };
    const body = readUntil(res, /"observed":321/);
    hub.publish(api.state);
    expect(await body).toMatch(/id: \d+\nevent: load\ndata: \{"target":"api"/);
    res.destroy();
  });

  it('503 with Retry-After beyond the subscriber bound; a closed connection frees its place', async () => {
    const held = await Promise.all([open(api.auth('viewer')), open(api.auth('viewer')), open(api.auth('viewer'))]);
    expect(held.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    const refused = await open(api.auth('viewer'));
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    refused.resume();
    for (const r of held) r.destroy();
    for (let i = 0; i < 50 && hub.size > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(hub.size).toBe(0);
    const again = await open(api.auth('viewer'));
    expect(again.statusCode).toBe(200);
    again.destroy();
  });
});
