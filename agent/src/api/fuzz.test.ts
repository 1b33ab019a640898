/**
 * Property tests: random and malformed paths, query strings, headers and bodies against every route.
 * Whatever arrives, the API answers below 500, never crashes, and a refused request (or any GET)
 * changes nothing. numRuns is kept modest so the suite stays fast; raise FUZZ_RUNS to search harder.
 */
import fc from 'fast-check';
import request from 'supertest';
import { startTestApi, snapshot, TOKENS, type TestApi } from './__fixtures__/harness';
import { ROUTES } from './openapi';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

let api: TestApi;
beforeAll(async () => {
  // High limits: the fuzzer is one address and one token making hundreds of requests, many unauthenticated.
  api = await startTestApi({ rateLimitPerMinute: 1_000_000, authFailuresPerMinute: 1_000_000 });
});
afterAll(() => api.close());

const printable = (max: number) => fc.stringMatching(new RegExp(`^[\\x20-\\x7e]{0,${max}}$`));

const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(...Object.values(TOKENS).map((t) => `Bearer ${t}`)),
  fc.constantFrom(...Object.values(TOKENS).map((t) => `Bearer ${t}`)), // twice: most runs should get past auth
  printable(60),
  printable(40).map((s) => `Bearer ${s}`),
);

const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constant('application/json; charset=utf-8'),
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x'),
  printable(30),
);

const extraHeaders = fc.dictionary(
  fc.constantFrom('x-forwarded-for', 'origin', 'content-encoding', 'accept', 'x-request-id', 'forwarded', 'accept-encoding', 'cookie'),
  printable(40),
  { maxKeys: 3 },
);

const validOverride = { target: 'api', type: 'pin', replicas: 3, until: '2027-06-05T16:00:00Z', reason: 'fuzz' };
const validIngest = { series: [{ name: 'api_rps', labels: { env: 'x' }, points: [[1, 2]] }] };
const validConfirm = { source: 'weddings.json', fingerprint: '0123456789abcdef', reason: 'fuzz' };

/** Valid bodies with one field replaced by anything: the edge of the schema. */
const mutated = (valid: Record<string, unknown>) =>
  fc.tuple(fc.constantFrom(...Object.keys(valid), 'extra'), fc.jsonValue()).map(([k, v]) => JSON.stringify({ ...valid, [k]: v }));

const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  mutated(validOverride),
  mutated(validIngest),
  mutated(validConfirm),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom('', '{', '{"series":[', 'null', '[]', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"polluted":true}}}', '1e999', '"\\ud800"'),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
);

const queryString = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(
      fc.oneof(fc.constantFrom('target', 'since', 'limit', 'from', 'to', 'horizon', '__proto__', 'limit[]', 'a[b]'), fc.string({ maxLength: 8 })),
      fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom('api', '2027-06-05T00:00:00Z', '0', '-1', '1e309', 'NaN', '', '%', '%E0%A4%A')),
      { maxKeys: 4 },
    )
    .map(
      (d) =>
        '?' +
        Object.entries(d)
          .map(([k, v]) => `${encodeURIComponent(k)}=${/%/.test(v) && v.length < 10 ? v : encodeURIComponent(v)}`)
          .join('&'),
    ),
  fc.constantFrom('?limit=1&limit=2', '?since=%', '?&&&=', '?target', '?=x'),
);

const pathId = fc.oneof(fc.constantFrom('api', 'ghost', '%', '%E0%A4%A', '..', '%2F', 'x'.repeat(200)), fc.string({ maxLength: 20 }).map(encodeURIComponent));

const documented = ROUTES.filter((r) => r.path !== '/openapi.json');

describe.each(documented.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('fuzzing %s', (_name, route) => {
  it('never answers 5xx; refused requests and reads change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(pathId, queryString, authorization, contentType, extraHeaders, body, async (id, qs, auth, ctype, extra, payload) => {
        const before = snapshot(api);
        const path = `/api/v1${route.path.replace('{id}', id)}${qs}`;
        let req = request(api.base)[route.method](path);
        for (const [k, v] of Object.entries(extra)) req = req.set(k, v);
        if (auth !== undefined) req = req.set('Authorization', auth);
        if (route.method === 'post') req = req.set('Content-Type', ctype).send(payload);
        const res = await req;
        expect(res.status).toBeLessThan(500);
        expect(res.headers['content-type'] ?? 'application/json').toMatch(/application\/json/);
        if (res.status >= 400 || route.method === 'get') expect(snapshot(api)).toBe(before);
      }),
      { numRuns: RUNS },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

it('the whole fuzz left the agent serving', async () => {
  await request(api.base).get('/api/v1/status').set(api.auth('viewer')).expect(200);
});
