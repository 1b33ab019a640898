import request from 'supertest';
import { ConfigError } from '../app/config-load';
import { sha256Hex } from './auth';
import { CONFIG_OPERATOR_TOKEN, snapshot, startTestApi, testConfig, type TestApi } from './__fixtures__/harness';
import { reloadResultSchema } from './schemas';
import type { AgentConfig } from '../config/agent-config';

let api: TestApi;
afterEach(() => api.close());

const NEW_TOKEN = 'rotated-operator-token-ffffffff';
const status = (token: string) => request(api.base).get('/api/v1/status').set('Authorization', `Bearer ${token}`);
const reload = (role: 'admin' | 'operator' = 'admin') => request(api.base).post('/api/v1/reload').set(api.auth(role));

function rotated(): AgentConfig {
  const c = testConfig({ corsOrigins: ['https://grafana.example.com'], rateLimitPerMinute: 900 });
  c.api.tokens = [{ name: 'ci-bot-2', role: 'operator', sha256: sha256Hex(NEW_TOKEN) }];
  c.targets[0].maxReplicas = 50;
  return c;
}

describe('POST /reload', () => {
  it('rotates config tokens and CORS origins live, keeps environment tokens, lists what needs a restart, audits', async () => {
    api = await startTestApi({}, { reloadConfig: rotated });
    await status(CONFIG_OPERATOR_TOKEN).expect(200);
    const res = await reload().expect(200);
    expect(reloadResultSchema.parse(res.body)).toEqual({
      applied: ['api.tokens', 'api.corsOrigins'],
      restartNeeded: ['targets', 'api.rateLimitPerMinute'],
      tokens: 5,
    });
    await status(CONFIG_OPERATOR_TOKEN).expect(401);
    await status(NEW_TOKEN).expect(200);
    await request(api.base).get('/api/v1/status').set(api.auth('viewer')).expect(200);
    const pre = await request(api.base)
      .options('/api/v1/status')
      .set('Origin', 'https://grafana.example.com')
      .set('Access-Control-Request-Method', 'GET')
      .expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://grafana.example.com');
    expect(api.audits.map((a) => [a.action, a.actor])).toEqual([['config.reload', 'env-admin-1']]);
    // A second reload of the same file has nothing new to apply.
    expect((await reload().expect(200)).body.applied).toEqual([]);
  });

  it('422 naming every problem when the file is invalid; nothing changes', async () => {
    api = await startTestApi(
      {},
      {
        reloadConfig: () => {
          throw new ConfigError([{ file: 'agent.yaml', path: 'targets[0].maxReplicas', message: 'Invalid input: expected number, received string' }]);
        },
      },
    );
    const before = snapshot(api);
    const res = await reload().expect(422);
    expect(res.body.details).toEqual([{ field: 'agent.yaml: targets[0].maxReplicas', reason: 'Invalid input: expected number, received string' }]);
    await status(CONFIG_OPERATOR_TOKEN).expect(200);
    expect(snapshot(api)).toBe(before);
  });

  it('403 below admin, 401 anonymous, 404 when the agent has no config file to reload', async () => {
    api = await startTestApi({}, { reloadConfig: rotated });
    await reload('operator').expect(403);
    await request(api.base).post('/api/v1/reload').expect(401);
    await status(CONFIG_OPERATOR_TOKEN).expect(200);
    await api.close();
    api = await startTestApi();
    expect((await reload().expect(404)).body.error).toMatch(/not available/);
  });
});
