/**
 * The agent wired with its durable state and no cluster (kubernetes.connection "none"): a state file
 * under state.directory, or memory only (said at start); a directory that cannot be written, a corrupt
 * or oversized state file (issue 24, defects 7, 10, 12) leave the agent running, degraded, and saying so.
 */
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
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
  const mounted: string[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    for (const m of mounted.splice(0)) execFileSync('umount', [m]);
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

  const post = (port: number, reason = 'speeches') =>
    request(`http://127.0.0.1:${port}`)
      .post('/api/v1/overrides')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ target: 'web', type: 'pin', replicas: 4, until: new Date(Date.now() + 3_600_000).toISOString(), reason });
  const metric = async (port: number, name: string) => {
    const text = (await request(`http://127.0.0.1:${port}`).get('/metrics')).text;
    const line = text.split('\n').find((l) => l.startsWith(name));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };
  const ready = async (a: Agent, port: number) => {
    for (let i = 0; i < 100 && !a.state.info.ready; i++) await new Promise((r) => setTimeout(r, 50));
    return request(`http://127.0.0.1:${port}`).get('/readyz');
  };

  test('a state.directory that cannot be written: the agent starts degraded, says so in its log and /readyz, and answers overrides 202 (not durable)', async () => {
    writeFileSync(join(dir, 'not-a-directory'), 'x');
    const lines: string[] = [];
    const a = agentWith(dir, 'state: { directory: not-a-directory/state }', lines);
    agents.push(a);
    const { port } = await a.start();
    expect(lines.join('')).toMatch(/state\.directory: cannot write .*not-a-directory\/state; starting DEGRADED/);
    const res = await post(port).expect(202);
    expect(res.body).toMatchObject({ target: 'web', durable: false, notDurable: expect.stringMatching(/not-a-directory/) });
    expect(a.state.overrides.map((o) => o.id)).toEqual([res.body.id]); // in force here all the same
    const readyz = await ready(a, port);
    expect(readyz.status).toBe(200);
    expect(readyz.body).toMatchObject({ status: 'degraded', degraded: [expect.stringMatching(/^state not durable: file .*not-a-directory/)] });
    expect(await metric(port, 'wedsync_agent_state_durable{')).toBe(0);
  });

  test('a corrupt state file is kept aside with a timestamp, said at start-up and by /readyz and /metrics; the new file says where it went', async () => {
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir);
    const corrupt = '{"overrides":[{"id":"floor-20","targetId":"web","type":"floor","replicas":20,';
    writeFileSync(join(stateDir, STATE_FILE_NAME), corrupt);
    const lines: string[] = [];
    const a = agentWith(dir, 'state: { directory: state }', lines);
    agents.push(a);
    const { port } = await a.start();
    const kept = readdirSync(stateDir).filter((f) => f.startsWith(`${STATE_FILE_NAME}.set-aside-`));
    expect(kept).toEqual([expect.stringMatching(/\.set-aside-\d{8}T\d{6}Z$/)]);
    expect(readFileSync(join(stateDir, kept[0]), 'utf8')).toBe(corrupt); // the original bytes
    expect(lines.join('')).toContain(`kept aside at ${join(stateDir, kept[0])}`);
    expect(JSON.parse(readFileSync(join(stateDir, STATE_FILE_NAME), 'utf8')).setAside).toMatchObject({
      keptAt: join(stateDir, kept[0]),
      reason: expect.stringMatching(/^not JSON/),
    });
    const readyz = await ready(a, port);
    expect(readyz.body).toMatchObject({ status: 'degraded', degraded: [expect.stringContaining(`state set aside: the stored state was unreadable`)] });
    expect(await metric(port, 'wedsync_agent_state_set_aside')).toBe(1);
    expect(await metric(port, 'wedsync_agent_state_durable{')).toBe(1);
    await post(port).expect(201);
  });

  test('a 600 MB state file is never read: kept aside as too large, the agent starts on a new document', async () => {
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir);
    const fd = openSync(join(stateDir, STATE_FILE_NAME), 'w');
    ftruncateSync(fd, 600 * 1024 * 1024); // sparse: no disk used
    closeSync(fd);
    const rssBefore = process.memoryUsage().rss;
    const lines: string[] = [];
    const a = agentWith(dir, 'state: { directory: state }', lines);
    agents.push(a);
    const { port } = await a.start();
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
    expect(lines.join('')).toMatch(/629145600 bytes, larger than the agent reads/);
    const readyz = await ready(a, port);
    expect(readyz.body.degraded).toEqual([expect.stringMatching(/^state set aside: .*629145600 bytes/)]);
    expect(statSync(join(stateDir, STATE_FILE_NAME)).size).toBeLessThan(4096);
    await post(port).expect(201);
  });

  test('a full disk mid-run (real tmpfs, ENOSPC): overrides are answered 202 not durable, /readyz and /metrics say so, and they are stored once space is back', async () => {
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir);
    // A real full filesystem: a 256 KiB tmpfs (the tests run as root, as CI does).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', stateDir]);
    mounted.push(stateDir);
    const a = agentWith(dir, 'state: { directory: state }');
    agents.push(a);
    const { port } = await a.start();
    const first = await post(port, 'before the disk filled').expect(201);
    expect(first.body.durable).toBe(true);
    expect(() => writeFileSync(join(stateDir, 'filler'), Buffer.alloc(1024 * 1024))).toThrow(/ENOSPC/);
    const res = await post(port, 'while the disk is full').expect(202);
    expect(res.body).toMatchObject({ durable: false, notDurable: expect.stringContaining('ENOSPC') });
    expect(await metric(port, 'wedsync_agent_state_durable{')).toBe(0);
    expect((await ready(a, port)).body).toMatchObject({ status: 'degraded', degraded: [expect.stringContaining('ENOSPC')] });
    rmSync(join(stateDir, 'filler'));
    await a.durable!.sync();
    const stored = JSON.parse(readFileSync(join(stateDir, STATE_FILE_NAME), 'utf8')) as { overrides: Array<{ id: string }> };
    expect(stored.overrides.map((o) => o.id).sort()).toEqual([first.body.id, res.body.id].sort());
    expect(await metric(port, 'wedsync_agent_state_durable{')).toBe(1);
  });

  test('a state directory that turns read-only mid-run (real tmpfs remounted read-only, EROFS): 202 not durable and the gauge says so; a start-up with it read-only still works and keeps what was stored', async () => {
    const stateDir = join(dir, 'state');
    mkdirSync(stateDir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', stateDir]);
    mounted.push(stateDir);
    const a = agentWith(dir, 'state: { directory: state }');
    agents.push(a);
    const { port } = await a.start();
    const first = await post(port, 'before the disk went read-only').expect(201);
    execFileSync('mount', ['-o', 'remount,ro', stateDir]);
    expect(() => writeFileSync(join(stateDir, 'probe'), 'x')).toThrow(/EROFS/);
    const res = await post(port, 'while the disk is read-only').expect(202);
    expect(res.body).toMatchObject({ durable: false, notDurable: expect.stringContaining('EROFS') });
    expect(await metric(port, 'wedsync_agent_state_durable{')).toBe(0);
    await a.stop();
    agents.splice(agents.indexOf(a), 1);

    const lines: string[] = [];
    const b = agentWith(dir, 'state: { directory: state }', lines);
    agents.push(b);
    const restarted = await b.start();
    expect(b.state.overrides.map((o) => o.id)).toEqual([first.body.id]);
    expect(lines.join('')).toMatch(/state\.directory: cannot write .*state.*; starting DEGRADED/);
    expect((await post(restarted.port, 'after a read-only start').expect(202)).body).toMatchObject({ durable: false });
    expect((await ready(b, restarted.port)).body).toMatchObject({ status: 'degraded' });
    expect(await metric(restarted.port, 'wedsync_agent_state_durable{')).toBe(0);
  });

  test('state.directory is validated where the config is read', () => {
    expect(() =>
      parseConfig(
        'state: { directory: "" }\nsources: { sim: { type: simulator } }\ntargets: [{ id: w, kubernetes: { namespace: n, name: w }, load: { source: sim, query: w }, capacityPerPod: 1, maxReplicas: 2 }]',
        'a.yaml',
        {},
      ),
    ).toThrow(/state\.directory/);
  });
});
