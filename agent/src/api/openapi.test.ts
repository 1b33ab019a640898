import request from 'supertest';
import type { Router } from 'express';
import { Registry } from 'prom-client';
import { createApiRouter } from './router';
import { buildOpenApiDocument, ROUTES } from './openapi';
import { startTestApi, testConfig, type TestApi } from './__fixtures__/harness';
import { AgentState } from '../state';
import { indexCalendar } from '../calendar/rules';

type Layer = { route?: { path: string; methods: Record<string, boolean> } };

/** "GET /targets/{id}/forecast" for every route express will actually serve. */
function expressRoutes(router: Router): string[] {
  const out: string[] = [];
  for (const layer of (router as unknown as { stack: Layer[] }).stack) {
    if (!layer.route) continue;
    for (const [m, on] of Object.entries(layer.route.methods))
      if (on && m !== '_all') out.push(`${m.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return out.sort();
}

function documentedRoutes(doc: Record<string, unknown>): string[] {
  const paths = doc.paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths)
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
}

describe('OpenAPI document', () => {
  const config = testConfig();
  const state = new AgentState(
    { version: 't', cluster: 't', mode: 'dry-run', leader: true, startedAtMs: 0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
    config.targets,
    indexCalendar({ weddings: [] }, config.wedding),
  );
  const router = createApiRouter({ state, config: config.api, tokens: [], registry: new Registry() });
  const doc = buildOpenApiDocument();

  it('describes every route the router serves, and nothing else', () => {
    const served = expressRoutes(router);
    expect(served.length).toBeGreaterThanOrEqual(11);
    expect(documentedRoutes(doc)).toEqual(served);
  });

  it('names every path parameter the route template has', () => {
    const paths = doc.paths as Record<string, Record<string, { parameters: Array<{ name: string; in: string }> }>>;
    for (const [p, ops] of Object.entries(paths)) {
      const inPath = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const op of Object.values(ops))
        expect(
          op.parameters
            .filter((x) => x.in === 'path')
            .map((x) => x.name)
            .sort(),
        ).toEqual(inPath);
    }
  });

  it('is OpenAPI 3.1 with bearer security and JSON schemas for bodies and responses', () => {
    expect(doc.openapi).toBe('3.1.0');
    const json = JSON.parse(JSON.stringify(doc));
    const post = json.paths['/overrides'].post;
    expect(post.requestBody.content['application/json'].schema.properties.type.enum).toEqual(['pin', 'floor', 'freeze']);
    expect(post.responses['403']).toEqual({ $ref: '#/components/responses/E403' });
    expect(json.paths['/openapi.json'].get.security).toEqual([]);
    const limitParam = json.paths['/decisions'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limitParam).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', maximum: 1000 } });
    // Every $ref resolves.
    const refs = JSON.stringify(doc).match(/"#\/components\/[^"]+"/g) ?? [];
    for (const ref of refs) {
      const [, , section, name] = ref.slice(1, -1).split('/');
      expect(json.components[section][name]).toBeDefined();
    }
  });

  describe('served at /api/v1/openapi.json', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi();
    });
    afterAll(() => api.close());

    it('without a token', async () => {
      const res = await request(api.base).get('/api/v1/openapi.json').expect(200);
      expect(documentedRoutes(res.body)).toEqual(documentedRoutes(doc));
    });

    it('every documented route answers (never the router\'s "no route" 404)', async () => {
      for (const r of ROUTES) {
        const path = `/api/v1${r.path.replace('{id}', 'api')}`;
        const res = await request(api.base)
          [r.method](path)
          .set(api.auth('admin'))
          .send(r.method === 'post' ? {} : undefined);
        expect(res.body.error ?? '').not.toMatch(/no route/);
        expect(res.status).toBeLessThan(500);
      }
    });
  });
});
