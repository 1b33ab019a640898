/** The API as the agent mounts it: the bundled demo agent, its generated tokens, a real loop. */
import request from 'supertest';
import { createDemoAgent, DEMO_START } from '../cli/demo';
import { generateRoleTokens } from './auth';
import { loadConfigFile } from '../app/config-load';
import { DEMO_CONFIG } from '../cli/demo';
import { Agent } from '../app/agent';
import { silentLogger } from '../util/logger';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from './auth';

describe('operator API mounted by the agent (simulator source, in-memory cluster)', () => {
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
        .expect(202); // the demo keeps its state in memory only: in force, and the answer says it is not durable
      expect(res.body).toMatchObject({ durable: false, notDurable: expect.stringContaining('memory only') });
      expect(agent.state.overrides.map((o) => o.id)).toEqual([res.body.id]);
      expect(res.body.author).toBe('env-operator-1');
      // The metrics endpoint now carries the API's own series.
      const metrics = await request(base).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/wedsync_agent_api_requests_total\{route="\/overrides",method="POST",status="202"\} 1/);
    } finally {
      await agent.stop();
    }
  });

  it('refuses to build an agent from a malformed WEDSYNC_API_TOKENS, without echoing tokens', () => {
    const loaded = loadConfigFile(DEMO_CONFIG);
    expect(() => new Agent(loaded, { env: { WEDSYNC_API_TOKENS: 'operator:tiny-secret' }, logger: silentLogger })).toThrow(
      /WEDSYNC_API_TOKENS entry 1: the token must be at least 16 characters/,
    );
    expect(() => new Agent(loaded, { env: { WEDSYNC_API_TOKENS: 'operator:tiny-secret' }, logger: silentLogger })).not.toThrow(/tiny-secret/);
  });

  it('POST /reload re-reads the file the agent started from: a rotated token works at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-reload-'));
    const file = join(dir, 'agent.yaml');
    const yaml = (token: string) =>
      [
        'agent: { listen: { host: 127.0.0.1, port: 0 }, logLevel: silent }',
        'sources: { sim: { type: simulator } }',
        `api: { tokens: [{ name: grafana, role: viewer, sha256: "${sha256Hex(token)}" }] }`,
        'targets:',
        '  - { id: web, kubernetes: { namespace: ns, name: web }, load: { source: sim, query: web }, capacityPerPod: 10, maxReplicas: 5 }',
      ].join('\n');
    writeFileSync(file, yaml('first-viewer-token-000000'));
    const admin = 'admin-token-for-reload-test-1';
    const agent = new Agent(loadConfigFile(file), { env: { WEDSYNC_API_TOKENS: `admin:${admin}` }, logger: silentLogger });
    const addr = await agent.start();
    try {
      const base = `http://127.0.0.1:${addr.port}`;
      await request(base).get('/api/v1/status').set('Authorization', 'Bearer first-viewer-token-000000').expect(200);
      writeFileSync(file, yaml('second-viewer-token-00000'));
      const res = await request(base).post('/api/v1/reload').set('Authorization', `Bearer ${admin}`).expect(200);
      expect(res.body).toEqual({ applied: ['api.tokens'], restartNeeded: [], tokens: 2 });
      await request(base).get('/api/v1/status').set('Authorization', 'Bearer first-viewer-token-000000').expect(401);
      await request(base).get('/api/v1/status').set('Authorization', 'Bearer second-viewer-token-00000').expect(200);
      writeFileSync(file, 'targets: []');
      const bad = await request(base).post('/api/v1/reload').set('Authorization', `Bearer ${admin}`).expect(422);
      expect(bad.body.details[0].field).toMatch(/agent\.yaml: targets/);
    } finally {
      await agent.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
