import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from './config-load';
import { main } from '../cli/main';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const DEMO = join(__dirname, '..', '..', 'demo', 'demo.yaml');
const EXAMPLE_ENV = { DD_API_KEY: 'dd', NEW_RELIC_LICENSE_KEY: 'nr', PAGERDUTY_ROUTING_KEY: 'pd' };

const minimal = (extra = '') => `
sources:
  prom: { type: prometheus, url: "http://127.0.0.1:9090" }
targets:
  - id: api
    kubernetes: { namespace: shop, name: api }
    load: { source: prom, query: "sum(rate(x[1m]))" }
    capacityPerPod: 50
    maxReplicas: 10
${extra}`;

function problems(text: string, env: Record<string, string> = {}): Array<[string, string]> {
  try {
    parseConfig(text, 'test.yaml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => [p.path, p.message]);
    throw err;
  }
  return [];
}

describe('config loading', () => {
  it('accepts the shipped example config (with its secrets in the environment) and fills defaults', () => {
    const { config } = loadConfigFile(join(EXAMPLES, 'wedsync-agent.yaml'), EXAMPLE_ENV);
    expect(config.targets.map((t) => t.id)).toEqual(['api', 'photo-upload']);
    expect(config.sinks[0]).toMatchObject({ type: 'datadog', apiKey: 'dd' });
    expect(config.targets[1].targetUtilization).toBe(0.7);
    expect(config.wedding.traditions.indian).toBe(2.0);
    expect(config.wedding.phases.reception).toEqual([1, 6]);
    expect(config.agent).toMatchObject({ provider: 'eks', region: 'eu-west-1' });
    expect(config.fleet.peers).toEqual([
      { cluster: 'eu-west-2', share: 1 },
      { cluster: 'eu-central-1', share: 2 },
    ]);
  });

  it('accepts the bundled demo config', () => {
    const { config } = loadConfigFile(DEMO, {});
    expect(config.agent.mode).toBe('dry-run');
    expect(config.targets.length).toBeGreaterThanOrEqual(3);
  });

  it('fills defaults for a minimal config', () => {
    const cfg = parseConfig(minimal(), 'min.yaml', {});
    expect(cfg.agent).toMatchObject({ mode: 'dry-run', tickSeconds: 15, listen: { host: '127.0.0.1', port: 8080 } });
    expect(cfg.targets[0]).toMatchObject({ minReplicas: 1, podStartupSeconds: 120, weddingCritical: false, region: 'north', timezones: [] });
    expect(cfg.policy.weddingHeadroom).toBe(0.2);
    expect(cfg.wedding.defaultTraditionMultiplier).toBe(1);
  });

  it.each<[string, string, string, RegExp]>([
    ['unknown top-level key', minimal('colour: blue'), '', /Unrecognized key.*colour/],
    ['min above max', minimal().replace('maxReplicas: 10', 'maxReplicas: 10\n    minReplicas: 12'), 'targets[0].minReplicas', /above maxReplicas/],
    ['unknown source', minimal().replace('source: prom', 'source: thanos'), 'targets[0].load.source', /unknown source "thanos"/],
    ['bad time zone', minimal().replace('maxReplicas: 10', 'maxReplicas: 10\n    timezones: [Mars/Olympus]'), 'targets[0].timezones[0]', /IANA/],
    ['bad utilisation', minimal().replace('maxReplicas: 10', 'maxReplicas: 10\n    targetUtilization: 1.5'), 'targets[0].targetUtilization', /1/],
    ['bad target id', minimal().replace('id: api', 'id: API_1'), 'targets[0].id', /lower-case/],
    ['no targets', 'targets: []', 'targets', /1/],
    ['act without a cluster', minimal('agent: { mode: act }'), 'agent.mode', /Kubernetes connection/],
    ['inline secret', minimal('sinks: [{ type: datadog, apiKey: abc123 }]'), 'sinks[0].apiKey', /environment reference/],
    ['missing env variable', minimal('sinks: [{ type: datadog, apiKey: "${DD_KEY}" }]'), 'sinks[0].apiKey', /DD_KEY is not set/],
    ['unknown sink type', minimal('sinks: [{ type: splunk }]'), 'sinks[0].type', /.+/],
  ])('reports %s with its key path', (_name, text, path, message) => {
    const found = problems(text);
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found).toContainEqual([path, expect.stringMatching(message)]);
  });

  it('substitutes environment references', () => {
    const cfg = parseConfig(minimal().replace('http://127.0.0.1:9090', '${PROM_URL}'), 'env.yaml', { PROM_URL: 'http://prom:9090' });
    expect(cfg.sources.prom).toMatchObject({ url: 'http://prom:9090' });
  });

  it('names the file and reports YAML syntax errors', () => {
    expect(() => parseConfig('targets: [', 'broken.yaml', {})).toThrow(/broken.yaml: .*YAML/);
  });

  it('reports a file it cannot read', () => {
    expect(() => loadConfigFile('/nonexistent/agent.yaml', {})).toThrow(/ENOENT/);
  });
});

describe('wedsync-agent validate', () => {
  it('prints three problems with key paths and exits 2 for a config with three mistakes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-validate-'));
    const file = join(dir, 'three-mistakes.yaml');
    writeFileSync(
      file,
      minimal()
        .replace('maxReplicas: 10', 'maxReplicas: 10\n    minReplicas: 20') // 1: min above max
        .replace('capacityPerPod: 50', 'capacityPerPod: -5') // 2: negative capacity
        .replace('source: prom', 'source: nowhere'), // 3: unknown source
    );
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['node', 'wedsync-agent', 'validate', '--config', file], { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code).toBe(2);
    const lines = err.filter((l) => l.startsWith(file));
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toMatch(/targets\[0\]\.minReplicas: .*above maxReplicas/);
    expect(lines.join('\n')).toMatch(/targets\[0\]\.capacityPerPod: /);
    expect(lines.join('\n')).toMatch(/targets\[0\]\.load\.source: unknown source "nowhere"/);
    expect(err[err.length - 1]).toBe('3 problem(s) found');
  });

  it('exits 0 for a valid config', async () => {
    const out: string[] = [];
    const code = await main(['node', 'wedsync-agent', 'validate', '--config', DEMO], { out: (l) => out.push(l), err: () => undefined });
    expect(code).toBe(0);
    expect(out.join()).toMatch(/ok/);
  });
});
