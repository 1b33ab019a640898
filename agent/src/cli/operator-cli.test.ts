/**
 * The operator commands `status` and `override set|list|clear` against a real operator API on
 * 127.0.0.1 (the test harness: hand-filled state, manual clock), and the one-line failures: an
 * unreachable agent, a bad token, a role that may not, an unknown target. `completion bash` from
 * commander's tree.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startTestApi, NOW, TOKENS, type TestApi } from '../api/__fixtures__/harness';
import { main } from './main';
import { parseDuration } from './override';
import { freePort } from '../../test-support/free-port';

let api: TestApi;
const dir = mkdtempSync(join(tmpdir(), 'operator-cli-'));
const tokenFile = (role: keyof typeof TOKENS): string => {
  const f = join(dir, role);
  writeFileSync(f, `${TOKENS[role]}\n`);
  return f;
};

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());
afterEach(() => {
  for (const o of api.state.overrides) api.state.removeOverride(o.id);
});

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('status (real operator API on 127.0.0.1)', () => {
  it('prints a kubectl-like table: replicas now→wanted, load, weddings, protections, freeze, cost', async () => {
    const r = await run('status', '--agent', api.base, '--token-file', tokenFile('viewer'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^agent 0\.0\.0-test · cluster test .* mode dry-run · leader · last tick 2027-06-05T14:00:00\.000Z/);
    expect(lines[1]).toMatch(/^TARGET\s+WORKLOAD\s+REPLICAS\s+READY\s+MIN\/MAX\s+LOAD\s+WEDDINGS\s+PROTECTIONS\s+FREEZE\s+OVERRIDES\s+COST$/);
    // Seeded: 5 running, the last decision wants 6; 180 rps; Saturday protection; frozen.
    expect(lines[2]).toMatch(/^api\s+deployment\/wedsync\/svc-0\s+5→6\s+5\s+2\/40\s+180\s+\d+\s+saturday\s+frozen\s+0\s+\S/);
    expect(lines).toHaveLength(2 + 3);
    // Columns line up: every row's REPLICAS cell starts where the header's does.
    const col = lines[1].indexOf('REPLICAS');
    for (const l of lines.slice(2)) expect(l.slice(col)).toMatch(/^5→6 /);
  });

  it("-o json and -o yaml print the agent's document, --target narrows it", async () => {
    const json = await run('status', '--agent', api.base, '--token-file', tokenFile('viewer'), '-o', 'json', '--target', 'photo-upload');
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out) as { targets: Array<{ id: string }>; agent: { mode: string } };
    expect(doc.targets.map((t) => t.id)).toEqual(['photo-upload']);
    const yaml = await run('status', '--agent', api.base, '--token-file', tokenFile('viewer'), '-o', 'yaml');
    expect(yaml.code).toBe(0);
    expect((parse(yaml.out) as { targets: unknown[]; agent: { mode: string } }).agent.mode).toBe('dry-run');
  });

  it('takes the token from $WEDSYNC_AGENT_TOKEN when no file is given', async () => {
    process.env.WEDSYNC_AGENT_TOKEN = TOKENS.viewer;
    try {
      expect((await run('status', '--agent', api.base)).code).toBe(0);
    } finally {
      delete process.env.WEDSYNC_AGENT_TOKEN;
    }
  });

  it.each([
    ['an unreachable agent', ['--agent', 'CLOSED', '--token-file', 'VIEWER'], /^status: cannot reach the agent at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED$/],
    ['a bad token', ['--token-file', 'BAD'], /^status: the agent refused the token \(401\)/],
    ['an unknown target', ['--token-file', 'VIEWER', '--target', 'nope'], /^status: unknown target\(s\): nope \(the agent knows: api, photo-upload, svc-2\)$/],
    ['a bad --output', ['--token-file', 'VIEWER', '-o', 'wide'], /^status: --output: "wide" must be one of table, json, yaml$/],
  ])('%s: one clear line, exit 1 (2 for usage)', async (what, args, message) => {
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'not-a-token-at-all-xxxxxxxx');
    const closed = `http://127.0.0.1:${await freePort()}`;
    const resolved = args.map((a) => (a === 'VIEWER' ? tokenFile('viewer') : a === 'BAD' ? bad : a === 'CLOSED' ? closed : a));
    const r = await run('status', ...(resolved.includes('--agent') ? [] : ['--agent', api.base]), ...resolved);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(what === 'a bad --output' ? 2 : 1);
  });
});

describe('override set|list|clear (real operator API on 127.0.0.1)', () => {
  it("sets a floor for 30 minutes of the agent's clock, lists it, clears it; each change is audited", async () => {
    const set = await run(
      'override',
      'set',
      'api',
      '--type',
      'floor',
      '--replicas',
      '7',
      '--duration',
      '30m',
      '--reason',
      'photo booth at the Ada & Ben reception',
      '--agent',
      api.base,
      '--token-file',
      tokenFile('operator'),
    );
    expect(set.err).toBe('');
    expect(set.code).toBe(0);
    // The harness's clock is Saturday 5 June 2027 14:00Z, not this machine's: 30 min later on the agent's clock.
    expect(set.out).toMatch(/^override [0-9a-f-]{36} set: api floor 7 until 2027-06-05T14:30:00\.000Z \(by env-operator-1\)$/);
    const id = /override (\S+) set/.exec(set.out)![1];
    expect(api.state.overrides.map((o) => [o.targetId, o.type, o.replicas, o.untilMs])).toEqual([['api', 'floor', 7, NOW + 30 * 60_000]]);

    const list = await run('override', 'list', '--agent', api.base, '--token-file', tokenFile('viewer'));
    expect(list.code).toBe(0);
    expect(list.out.split('\n')[0]).toMatch(/^ID\s+TARGET\s+TYPE\s+REPLICAS\s+UNTIL\s+AUTHOR\s+REASON$/);
    expect(list.out).toContain(`${id}  api     floor  7         2027-06-05T14:30:00.000Z  env-operator-1  photo booth at the Ada & Ben reception`);

    const clear = await run('override', 'clear', id, '--agent', api.base, '--token-file', tokenFile('operator'));
    expect(clear.code).toBe(0);
    expect(clear.out).toBe(`override ${id} cleared (api floor)`);
    expect(api.state.overrides).toEqual([]);
    expect(api.audits.slice(-2).map((a) => a.action)).toEqual(['override.create', 'override.delete']);
    expect((await run('override', 'list', '--agent', api.base, '--token-file', tokenFile('viewer'))).out).toBe('no active overrides');
  });

  it('--until-wedding-ends for a coordinator: the floor ends with the live London wedding', async () => {
    const r = await run(
      'override',
      'set',
      'api',
      '--type',
      'freeze',
      '--until-wedding-ends',
      '--reason',
      'first dance',
      '--agent',
      api.base,
      '--token-file',
      tokenFile('coordinator'),
    );
    expect(r.err).toBe('');
    expect(r.out).toMatch(/set: api freeze until 2027-06-05T\d\d:\d\d:00\.000Z \(by env-coordinator-1\)/);
  });

  it.each([
    [
      'a role that may not (coordinator, timed pin)',
      ['api', '--type', 'pin', '--replicas', '3', '--duration', '1h'],
      'coordinator',
      /^override: the agent refused the token \(403\): its role may not set this override \(role "coordinator" may only set a freeze or floor/,
    ],
    [
      'an unknown target',
      ['nope', '--type', 'floor', '--replicas', '3', '--until', '2027-06-05T15:00:00Z'],
      'operator',
      /^override: the agent answered 400 for POST \/api\/v1\/overrides: .*target.*unknown target "nope"/,
    ],
    [
      "replicas above the target's max",
      ['api', '--type', 'floor', '--replicas', '400', '--until', '2027-06-05T15:00:00Z'],
      'operator',
      /replicas must be at most the target's maxReplicas \(40\)/,
    ],
    [
      'two ends at once (usage)',
      ['api', '--type', 'floor', '--replicas', '3', '--duration', '1h', '--until-wedding-ends'],
      'operator',
      /^override: give exactly one of --duration, --until and --until-wedding-ends$/,
    ],
    [
      'a bad duration (usage)',
      ['api', '--type', 'floor', '--replicas', '3', '--duration', 'soon'],
      'operator',
      /^override: --duration: "soon" must be a positive duration/,
    ],
  ])('%s: one line, nothing changed', async (what, args, role, message) => {
    const r = await run('override', 'set', ...args, '--reason', 'test', '--agent', api.base, '--token-file', tokenFile(role as keyof typeof TOKENS));
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
    expect(r.code).toBe(what.endsWith('(usage)') ? 2 : 1);
    expect(api.state.overrides).toEqual([]);
  });

  it('clear of an unknown id: exit 1 naming it', async () => {
    const r = await run('override', 'clear', 'no-such-id', '--agent', api.base, '--token-file', tokenFile('operator'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/404 .*no active override "no-such-id"/);
  });

  it('durations', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(() => parseDuration('0m')).toThrow(/positive duration/);
    expect(() => parseDuration('1d')).toThrow(/positive duration/);
  });
});

describe("completion bash (from commander's command tree)", () => {
  it('names the commands, the override subcommands and their flags', async () => {
    const r = await run('completion', 'bash');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^complete -o default -F _wedsync_agent wedsync-agent$/m);
    expect(r.out).toMatch(/^ {4}""\) words="run demo validate .*status override completion .*--version --help" ;;$/m);
    expect(r.out).toMatch(/^ {4}"override"\) words="set list clear --help" ;;$/m);
    expect(r.out).toMatch(
      /^ {4}"override set"\) words="--agent --token-file --timeout --type --replicas --duration --until --until-wedding-ends --reason --help" ;;$/m,
    );
  });
});
