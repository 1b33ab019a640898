import { ConfigError, parseConfig } from './config-load';
import { buildSinks, SINK_BUILDERS } from './sink-registry';
import { testDeps } from '../sinks/__fixtures__/sink-test-helpers';

const base = {
  sources: { sim: { type: 'simulator' } },
  targets: [{ id: 't', kubernetes: { namespace: 'n', name: 't' }, load: { source: 'sim', query: 'x' }, capacityPerPod: 1, maxReplicas: 2 }],
};
const load = (sinks: unknown[], env: Record<string, string> = {}) => parseConfig(JSON.stringify({ ...base, sinks }), 'agent.yaml', env);
const problems = (sinks: unknown[], env: Record<string, string> = {}) => {
  try {
    load(sinks, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
};

describe('sink registry and config', () => {
  test('the map covers every sink type, alphabetically', () => {
    expect(Object.keys(SINK_BUILDERS)).toEqual(['console', 'datadog', 'memory', 'newrelic', 'pagerduty']);
  });

  test('builds every type from config, names default to the type, defaults applied', () => {
    const cfg = load(
      [
        { type: 'console' },
        { type: 'memory', name: 'scratch' },
        { type: 'datadog', apiKey: '${DD_API_KEY}', site: 'datadoghq.eu' },
        { type: 'newrelic', licenseKey: '${NEW_RELIC_LICENSE_KEY}' },
        { type: 'pagerduty', routingKey: '${PD_ROUTING_KEY}', dashboardUrl: 'https://grafana.example/d/x' },
      ],
      { DD_API_KEY: 'a', NEW_RELIC_LICENSE_KEY: 'b', PD_ROUTING_KEY: 'c' },
    );
    const built = buildSinks(cfg.sinks, testDeps());
    expect(built.map((e) => [e.sink.name, e.sink.type, e.intervalMs])).toEqual([
      ['console', 'console', 60_000],
      ['scratch', 'memory', 0],
      ['datadog', 'datadog', 30_000],
      ['newrelic', 'newrelic', 30_000],
      ['pagerduty', 'pagerduty', 0],
    ]);
    expect(cfg.sinks[3]).toMatchObject({ url: 'https://metric-api.newrelic.com', maxQueue: 10_000, maxBatch: 1000, requestTimeoutSeconds: 10 });
    expect(cfg.sinks[4]).toMatchObject({ server: 'events.pagerduty.com', handOffAfterSeconds: 30, requestTimeoutSeconds: 10 });
  });

  test.each([
    [
      'an inline secret',
      [{ type: 'datadog', apiKey: 'abc123' }],
      {},
      'sinks[0].apiKey: is a secret: write an environment reference such as "${DD_API_KEY}", never the value itself',
    ],
    ['a missing environment variable', [{ type: 'newrelic', licenseKey: '${NR_KEY}' }], {}, 'sinks[0].licenseKey: environment variable NR_KEY is not set'],
    ['an unknown type', [{ type: 'splunk' }], {}, 'sinks[0].type'],
    ['an unknown Datadog site', [{ type: 'datadog', apiKey: '${K}', site: 'datadog.example' }], { K: 'k' }, 'sinks[0].site'],
    [
      'a PagerDuty server with a scheme',
      [{ type: 'pagerduty', routingKey: '${K}', server: 'https://events.pagerduty.com' }],
      { K: 'k' },
      'sinks[0].server: must be host or host:port, without a scheme',
    ],
    [
      'two sinks with the same name',
      [{ type: 'memory' }, { type: 'memory' }],
      {},
      'sinks[1].name: duplicate sink name "memory" (also sinks[0]); give each memory sink its own name',
    ],
    ['maxBatch above maxQueue', [{ type: 'memory', maxQueue: 10, maxBatch: 20 }], {}, 'sinks[0].maxBatch: maxBatch (20) is above maxQueue (10)'],
    ['a zero interval', [{ type: 'console', intervalSeconds: 0 }], {}, 'sinks[0].intervalSeconds'],
    [
      'a paging threshold still on the PagerDuty sink',
      [{ type: 'pagerduty', routingKey: '${K}', overloadedAfterSeconds: 60 }],
      { K: 'k' },
      'sinks[0].overloadedAfterSeconds: moved to paging.overloadedAfterSeconds',
    ],
    [
      'a hand-off no longer than a request',
      [{ type: 'pagerduty', routingKey: '${K}', handOffAfterSeconds: 10 }],
      { K: 'k' },
      'sinks[0].handOffAfterSeconds: (10) must be longer than requestTimeoutSeconds (10)',
    ],
  ])('rejects %s, naming the field', (_name, sinks, env, expected) => {
    const found = problems(sinks, env);
    expect(found.some((p) => p.startsWith(expected))).toBe(true);
  });
});
