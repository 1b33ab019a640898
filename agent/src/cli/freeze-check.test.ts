/**
 * freeze-check against a real operator API on 127.0.0.1 (the test harness: hand-filled state, manual
 * clock), and against servers that misbehave. Every failure must be exit 1 (or 2 for usage), never 0.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { targetCalendar } from '../calendar/target-calendar';
import { startTestApi, NOW, HOUR, TOKENS, type TestApi } from '../api/__fixtures__/harness';
import { main } from './main';

let api: TestApi;
const dir = mkdtempSync(join(tmpdir(), 'freeze-check-'));
const viewerFile = join(dir, 'viewer');
writeFileSync(viewerFile, `${TOKENS.viewer}\n`);

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

function tick(atMs: number): void {
  for (const t of api.state.targets.values())
    t.view = { atMs, load: 1, readError: null, overrides: [], calendar: targetCalendar(api.state.calendar, t.config, atMs) };
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', 'freeze-check', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function server(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; close: () => Promise<void>; srv: Server }> {
  const srv = createServer(handler);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    srv,
    close: () =>
      new Promise((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      }),
  };
}

describe('freeze-check (real operator API on 127.0.0.1)', () => {
  it('exits 1 before the agent has evaluated the targets: an unknown freeze is not "allowed"', async () => {
    const r = await run('--agent', api.base, '--token-file', viewerFile);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/has not evaluated api, photo-upload, svc-2 yet/);
  });

  it('exits 3 on the Saturday, saying until when and naming the live wedding', async () => {
    tick(NOW);
    const r = await run('--agent', api.base, '--token-file', viewerFile);
    expect(r.code).toBe(3);
    expect(r.out).toMatch(/^DEPLOY FROZEN until 2027-06-05T\d\d:\d\d:00\.000Z/);
    expect(r.out).toMatch(/api \(Deployment wedsync\/svc-0\) frozen until .*1 live wedding/);
    expect(r.out).toMatch(/Ada & Ben \[w-london\] 2027-06-05 Europe\/London/);
    expect(r.out).toMatch(/wedsync\.io\/emergency-change/);
  });

  it('exits 0 for a target the live wedding does not concern (--target), and with the token from the environment', async () => {
    tick(NOW);
    process.env.WEDSYNC_AGENT_TOKEN = TOKENS.viewer;
    try {
      const r = await run('--agent', `${api.base}/api/v1/`, '--target', 'photo-upload');
      expect(r).toMatchObject({ code: 0 });
      expect(r.out).toMatch(/deploy allowed/);
    } finally {
      delete process.env.WEDSYNC_AGENT_TOKEN;
    }
  });

  it('exits 0 the next day', async () => {
    tick(NOW + 24 * HOUR);
    expect((await run('--agent', api.base, '--token-file', viewerFile)).code).toBe(0);
    tick(NOW);
  });

  it("exits 1 when the agent's last evaluation is old (a stalled loop): the freeze is unknown", async () => {
    tick(NOW - 11 * 60_000);
    const r = await run('--agent', api.base, '--token-file', viewerFile);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/last evaluated api at 2027-06-05T13:49:00\.000Z.*more than 10 min.*stalled/);
    tick(NOW);
  });

  it.each([
    ['an unknown target', ['--target', 'api', 'ghost'], /unknown target\(s\): ghost \(the agent knows: api, photo-upload, svc-2\)/],
    ['a bad token', ['--token-file', 'BAD'], /refused the token \(401\)/],
    ['no token at all', [], /refused the token \(401\)/],
    ['a missing token file', ['--token-file', '/nonexistent/token'], /--token-file: cannot read "\/nonexistent\/token": ENOENT/],
    ['an empty token file', ['--token-file', 'EMPTY'], /is empty/],
  ])('exits 1 with a clear message for %s', async (_name, extra, message) => {
    tick(NOW);
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'not-a-token-0000000000');
    const empty = join(dir, 'empty');
    writeFileSync(empty, '  \n');
    const args = extra.map((a) => (a === 'BAD' ? bad : a === 'EMPTY' ? empty : a));
    const r = await run('--agent', api.base, ...(args.includes('--token-file') ? [] : extra.length ? ['--token-file', viewerFile] : []), ...args);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });

  it.each([
    ['not a URL', 'agent:8080:x', /--agent: "agent:8080:x" must be an http/],
    ['garbage', 'http://', /is not a URL/],
    ['another scheme', 'ftp://127.0.0.1/', /must be an http:\/\/ or https:\/\/ URL/],
  ])('exits 1 for a bad URL (%s)', async (_name, url, message) => {
    const r = await run('--agent', url, '--token-file', viewerFile);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message);
  });

  it('exits 2 for usage errors (no --agent, a bad --timeout)', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('--agent', api.base, '--timeout', 'soon')).code).toBe(2);
  });
});

describe('freeze-check when the agent cannot be asked', () => {
  it('exits 1 when nothing listens; --fail-open turns that into 0 with a loud warning', async () => {
    const s = await server((_q, res) => res.end());
    await s.close(); // the port is free again: connection refused
    const shut = await run('--agent', s.url, '--token-file', viewerFile);
    expect(shut.code).toBe(1);
    expect(shut.err).toMatch(/cannot reach the agent at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED.*--fail-open would allow/);
    const open = await run('--agent', s.url, '--token-file', viewerFile, '--fail-open');
    expect(open.code).toBe(0);
    expect(open.err).toMatch(/WARNING: cannot reach the agent/);
    expect(open.err).toMatch(/ALLOWING THE DEPLOY/);
  });

  it('exits 1 when the agent does not answer in time, and on a 503 (both count as unreachable for --fail-open)', async () => {
    const silent = await server(() => undefined);
    const slow = await run('--agent', silent.url, '--token-file', viewerFile, '--timeout', '0.3');
    expect(slow.code).toBe(1);
    expect(slow.err).toMatch(/no answer within 0.3 s/);
    await silent.close();
    const down = await server((_q, res) => {
      res.statusCode = 503;
      res.end('starting');
    });
    expect((await run('--agent', down.url, '--token-file', viewerFile)).code).toBe(1);
    expect((await run('--agent', down.url, '--token-file', viewerFile, '--fail-open')).code).toBe(0);
    await down.close();
  });

  it('exits 1 (even with --fail-open) when something else answers: not JSON, or not the freeze document', async () => {
    const html = await server((_q, res) => res.end('<html>hello</html>'));
    const r = await run('--agent', html.url, '--token-file', viewerFile, '--fail-open');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not JSON \(is http:\/\/127\.0\.0\.1:\d+ a WedSync agent\?\)/);
    await html.close();
    const other = await server((_q, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"frozen":false}');
    });
    const o = await run('--agent', other.url, '--token-file', viewerFile);
    expect(o.code).toBe(1);
    expect(o.err).toMatch(/not a deploy-freeze document/);
    await other.close();
  });
});
