import request from 'supertest';
import express from 'express';
import helmet from 'helmet';
import { securityHeaders } from './security-headers';
import { startTestApi, type TestApi } from './__fixtures__/harness';

let api: TestApi;
afterEach(() => api.close());

describe('security headers (helmet)', () => {
  it('sets the usual headers and hides the framework', async () => {
    api = await startTestApi();
    const res = await request(api.base).get('/api/v1/status').set(api.auth('viewer')).expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toMatch(/max-age/);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('precomputed helmet headers', () => {
  it('are exactly what helmet itself sets on a real response', async () => {
    api = await startTestApi();
    const app = express();
    app.use(helmet());
    app.get('/', (_req, res) => {
      res.end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const direct = await request(`http://127.0.0.1:${(server.address() as { port: number }).port}`).get('/');
      const ours = await request(api.base).get('/api/v1/status').set(api.auth('viewer'));
      const names = securityHeaders().map(([n]) => n.toLowerCase());
      expect(names.length).toBeGreaterThanOrEqual(10);
      for (const n of names) expect([n, ours.headers[n]]).toEqual([n, direct.headers[n]]);
      // …and helmet sets nothing else that the list misses.
      const fromHelmet = Object.keys(direct.headers).filter(
        (h) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-powered-by'].includes(h),
      );
      expect(fromHelmet.sort()).toEqual([...names].sort());
    } finally {
      server.close();
    }
  });
});

describe('CORS (only api.corsOrigins)', () => {
  const grafana = 'https://grafana.example.com';
  beforeEach(async () => {
    api = await startTestApi({ corsOrigins: [`${grafana}/`] });
  });

  it('answers the preflight of the configured origin without a token', async () => {
    const res = await request(api.base)
      .options('/api/v1/status')
      .set('Origin', grafana)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization')
      .expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(grafana);
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('allows the configured origin on real requests', async () => {
    const res = await request(api.base).get('/api/v1/status').set('Origin', grafana).set(api.auth('viewer')).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(grafana);
  });

  it('gives other origins no CORS headers (403 on preflight)', async () => {
    const pre = await request(api.base)
      .options('/api/v1/status')
      .set('Origin', 'https://evil.example.com')
      .set('Access-Control-Request-Method', 'GET')
      .expect(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const res = await request(api.base).get('/api/v1/status').set('Origin', 'https://evil.example.com').set(api.auth('viewer')).expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limit per token', () => {
  it('429 with Retry-After after api.rateLimitPerMinute requests; other tokens unaffected', async () => {
    api = await startTestApi({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) await request(api.base).get('/api/v1/status').set(api.auth('viewer')).expect(200);
    const res = await request(api.base).get('/api/v1/status').set(api.auth('viewer')).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.body.error).toMatch(/rate limit of 3 requests per minute/);
    await request(api.base).get('/api/v1/status').set(api.auth('operator')).expect(200);
  });
});

describe('body limits', () => {
  beforeEach(async () => {
    api = await startTestApi();
  });
  it('413 for an override body over 16 KiB', async () => {
    const res = await request(api.base)
      .post('/api/v1/overrides')
      .set(api.auth('operator'))
      .send({ target: 'api', type: 'freeze', until: '2027-06-05T16:00:00Z', reason: 'x'.repeat(20_000) })
      .expect(413);
    expect(res.body.error).toMatch(/too large/);
    expect(api.state.overrides).toEqual([]);
  });
  it('415 for a form-encoded override', async () => {
    await request(api.base).post('/api/v1/overrides').set(api.auth('operator')).type('form').send('target=api&type=freeze').expect(415);
  });
  it('415 for an unsupported content encoding', async () => {
    await request(api.base)
      .post('/api/v1/overrides')
      .set(api.auth('operator'))
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'br2')
      .send('{}')
      .expect(415);
  });
});

describe('request metrics', () => {
  it('labels requests by route template, never by raw path', async () => {
    api = await startTestApi();
    await request(api.base).get('/api/v1/targets/api/forecast').set(api.auth('viewer')).expect(200);
    await request(api.base).get('/api/v1/random/path/123').set(api.auth('viewer')).expect(404);
    const text = await api.registry.getSingleMetricAsString('wedsync_agent_api_requests_total');
    expect(text).toMatch(/route="\/targets\/:id\/forecast",method="GET",status="200"} 1/);
    expect(text).toMatch(/route="unmatched",method="GET",status="404"} 1/);
    expect(text).not.toMatch(/random/);
  });
});

describe('failed authentications per address', () => {
  it('429 with Retry-After for bad tokens once an address fails api.authFailuresPerMinute times; clears after the minute', async () => {
    api = await startTestApi({ authFailuresPerMinute: 2 });
    await request(api.base).get('/api/v1/status').set('Authorization', 'Bearer guess-1-xxxxxxxxxxxxxxx').expect(401);
    await request(api.base).get('/api/v1/status').expect(401);
    const res = await request(api.base).get('/api/v1/status').set('Authorization', 'Bearer guess-2-xxxxxxxxxxxxxxx').expect(429);
    expect(res.headers['retry-after']).toBe('60');
    api.clock.advance(60_000);
    await request(api.base).get('/api/v1/status').set('Authorization', 'Bearer guess-3-xxxxxxxxxxxxxxx').expect(401);
  });

  it('never locks out a valid token: 30 bad tokens from one address, then the admin token still gets 200', async () => {
    api = await startTestApi(); // api.authFailuresPerMinute: 30 (the default)
    for (let i = 0; i < 30; i++) await request(api.base).get('/api/v1/status').set('Authorization', `Bearer stale-dashboard-token-${i}`).expect(401);
    await request(api.base).get('/api/v1/status').set('Authorization', 'Bearer stale-dashboard-token-x').expect(429);
    await request(api.base).get('/api/v1/status').set(api.auth('admin')).expect(200);
  });
});
