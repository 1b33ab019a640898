/** The API as the agent mounts it: the bundled demo agent, its generated tokens, a real loop. */
import request from 'supertest';
import { createDemoAgent, DEMO_START } from '../cli/demo';
import { generateRoleTokens } from './auth';
import { loadConfigFile } from '../config/load';
import { DEMO_CONFIG } from '../cli/demo';
import { Agent } from '../agent';
import { silentLogger } from '../util/logger';

describe('operator API mounted by the agent (demo config: simulator source, dry-run scaler)', () => {
  it('serves /api/v1 with the generated per-role tokens', async () => {
    const { value, tokens } = generateRoleTokens();
    expect(new Set(Object.values(tokens)).size).toBe(4);
    const agent = createDemoAgent({ port: 0, speed: 60, start: DEMO_START, apiTokens: value });
    const addr = await agent.start();
    try {
      const base = `http://127.0.0.1:${addr.port}`;
      await agent.loop.trigger();
      const status = await request(base).get('/api/v1/status').set('Authorization', `Bearer ${tokens.viewer}`).expect(200);
      expect(status.body.targets.map((t: { id: string }) => t.id)).toEqual(['api', 'photo-upload', 'notifications']);
      expect(status.body.agent.ticks).toBeGreaterThanOrEqual(1);
      await request(base).get('/api/v1/status').expect(401);
      await request(base)
        .post('/api/v1/overrides')
        .set('Authorization', `Bearer ${tokens.coordinator}`)
        .send({ target: 'api', type: 'pin', replicas: 3, until: '2027-06-04T13:00:00Z', reason: 'x' })
        .expect(403);
      const res = await request(base)
        .post('/api/v1/overrides')
        .set('Authorization', `Bearer ${tokens.operator}`)
        .send({ target: 'api', type: 'floor', replicas: 10, until: new Date(Date.parse(DEMO_START) + 3_600_000).toISOString(), reason: 'demo' })
        .expect(201);
      expect(agent.state.overrides.map((o) => o.id)).toEqual([res.body.id]);
      expect(res.body.author).toBe('env-operator-1');
      // The metrics endpoint now carries the API's own series.
      const metrics = await request(base).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/wedsync_agent_api_requests_total\{route="\/overrides",method="POST",status="201"\} 1/);
    } finally {
      await agent.stop();
    }
  });

  it('refuses to build an agent from a malformed WEDSYNC_API_TOKENS, without echoing tokens', () => {
    const loaded = loadConfigFile(DEMO_CONFIG);
    expect(() => new Agent(loaded, { env: { WEDSYNC_API_TOKENS: 'operator:tiny-secret' }, logger: silentLogger })).toThrow(/WEDSYNC_API_TOKENS entry 1: the token must be at least 16 characters/);
    expect(() => new Agent(loaded, { env: { WEDSYNC_API_TOKENS: 'operator:tiny-secret' }, logger: silentLogger })).not.toThrow(/tiny-secret/);
  });
});
