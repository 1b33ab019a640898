/** fleet.* and agent.provider/region: defaults, both peer forms, and bad input naming the key. */
import { ConfigError, parseConfig } from '../app/config-load';

const base = (extra: string) => `
agent: { cluster: eu-1 }
sources: { p: { type: push } }
targets: [{ id: api, kubernetes: { namespace: w, name: api }, load: { source: p, query: rps }, capacityPerPod: 10, maxReplicas: 5 }]
${extra}`;
const problems = (extra: string): string[] => {
  try {
    parseConfig(base(extra), 'agent.yaml');
  } catch (err) {
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
};

describe('fleet config', () => {
  test('absent: no peers (the agent runs alone)', () => {
    const c = parseConfig(base(''), 'agent.yaml');
    expect(c.fleet.peers).toEqual([]);
    expect(c.agent.provider).toBeUndefined();
  });

  test('peers as names or {cluster, share}; provider and region', () => {
    const c = parseConfig(
      base('fleet: { query: "http://thanos:9090", peers: [eu-2, { cluster: eu-3, share: 2 }] }\n').replace(
        '{ cluster: eu-1 }',
        '{ cluster: eu-1, provider: gke, region: europe-west1 }',
      ),
      'agent.yaml',
    );
    expect(c.fleet.peers).toEqual([
      { cluster: 'eu-2', share: 1 },
      { cluster: 'eu-3', share: 2 },
    ]);
    expect(c.agent).toMatchObject({ provider: 'gke', region: 'europe-west1' });
  });

  test.each([
    ['fleet: { peers: [eu-2] }', 'fleet.query: is required when fleet.peers is set'],
    ['fleet: { query: "http://t", peers: [eu-1] }', 'fleet.peers[0]: "eu-1" is this agent\'s own cluster'],
    ['fleet: { query: "http://t", peers: [eu-2, eu-2] }', 'fleet.peers[1]: duplicate peer "eu-2"'],
    ['fleet: { query: "http://t", peers: [{ cluster: eu-2, share: -1 }] }', 'fleet.peers[0].share:'],
    ['fleet: { query: "ftp://t", peers: [eu-2] }', 'fleet.query: must be an http(s) URL'],
    ['fleet: { query: "http://t", peers: ["eu 2"] }', 'fleet.peers[0]:'],
    [
      'fleet: { query: "http://t", peers: [eu-2], staleAfterSeconds: 10, intervalSeconds: 15 }',
      'fleet.staleAfterSeconds: (10) must be longer than fleet.intervalSeconds',
    ],
    ['fleet: { query: "http://t", peers: [eu-2], timeoutSeconds: 20 }', 'fleet.timeoutSeconds: (20) is longer than fleet.intervalSeconds'],
    ['fleet: { peerz: [] }', 'fleet: Unrecognized key: "peerz"'],
  ])('%s → %s', (extra, expected) => {
    expect(problems(extra).join('\n')).toContain(expected);
  });

  test('an unknown provider names agent.provider', () => {
    expect(problems('').length).toBe(0);
    const bad = base('').replace('{ cluster: eu-1 }', '{ cluster: eu-1, provider: digitalocean }');
    expect(() => parseConfig(bad, 'agent.yaml')).toThrow(/agent\.yaml: agent\.provider: .*"eks"/);
  });
});
