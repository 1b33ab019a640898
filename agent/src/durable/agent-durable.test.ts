/**
 * The agent wired with its durable state and no cluster (kubernetes.connection "none"): a state file
 * under state.directory, or memory only (said at start), and a directory that cannot be written fails
 * start-up naming the key.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { Agent } from '../app/agent';
import { parseConfig } from '../app/config-load';
import { createLogger } from '../util/logger';
import { STATE_FILE_NAME } from './file-backend';

const TOKEN = 'operator-token-for-the-state-file-test';

function agentWith(dir: string, stateKey: string, lines: string[] = []): Agent {
  const yaml = [
    'agent: { mode: shadow, tickSeconds: 1, listen: { host: 127.0.0.1, port: 0 }, logLevel: info }',
    'sources: { sim: { type: simulator } }',
    'forecast: { backfillHours: 0 }',
    stateKey,
    'targets:',
    '  - { id: web, kubernetes: { namespace: ns, name: web }, load: { source: sim, query: web }, capacityPerPod: 10, maxReplicas: 5 }',
  ].join('\n');
  const file = join(dir, 'agent.yaml');
  const logger = createLogger('info', { write: (s: string) => void lines.push(s) });
  return new Agent({ config: parseConfig(yaml, file, {}), file, baseDir: dir }, { logger, env: { WEDSYNC_API_TOKENS: `operator:${TOKEN}` } });
}

describe('agent durable state without a cluster', () => {
  let dir: string;
  const agents: Agent[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wedsync-agent-state-'));
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('state.directory: an override set through the API and its audit entry are in the file and back after a restart', async () => {
    const a = agentWith(dir, 'state: { directory: state }');
    agents.push(a);
    const addr = await a.start();
    const res = await request(`http://127.0.0.1:${addr.port}`)
      .post('/api/v1/overrides')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ target: 'web', type: 'pin', replicas: 4, until: new Date(Date.now() + 3_600_000).toISOString(), reason: 'speeches' })
      .expect(201);
    await a.durable!.sync();
    const doc = JSON.parse(readFileSync(join(dir, 'state', STATE_FILE_NAME), 'utf8'));
    expect(doc.overrides.map((o: { id: string }) => o.id)).toEqual([res.body.id]);
    expect(doc.audit.map((e: { action: string }) => e.action)).toEqual(['override.create']);
    await a.stop();

    const lines: string[] = [];
    const b = agentWith(dir, 'state: { directory: state }', lines);
    agents.push(b);
    await b.start();
    expect(b.state.overrides.map((o) => o.id)).toEqual([res.body.id]);
    expect(b.state.audit.toArray().map((e) => e.action)).toEqual(['override.create']);
    expect(lines.join('')).toContain(`"store":"file ${join(dir, 'state', STATE_FILE_NAME)}"`);
  });

  test('no state.directory: memory only, and the start-up log says so', async () => {
    const lines: string[] = [];
    const a = agentWith(dir, '', lines);
    agents.push(a);
    await a.start();
    expect(a.durable).toBeNull();
    expect(lines.join('')).toContain('state: memory only');
  });

  test('a state.directory that cannot be written fails start-up naming the key', async () => {
    writeFileSync(join(dir, 'not-a-directory'), 'x');
    const a = agentWith(dir, 'state: { directory: not-a-directory/state }');
    agents.push(a);
    await expect(a.start()).rejects.toThrow(/agent\.yaml: state\.directory: cannot write .*not-a-directory\/state/);
  });

  test('state.directory is validated where the config is read', () => {
    expect(() => parseConfig('state: { directory: "" }\nsources: { sim: { type: simulator } }\ntargets: [{ id: w, kubernetes: { namespace: n, name: w }, load: { source: sim, query: w }, capacityPerPod: 1, maxReplicas: 2 }]', 'a.yaml', {})).toThrow(/state\.directory/);
  });
});
