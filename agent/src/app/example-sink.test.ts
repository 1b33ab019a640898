/**
 * Adding a sink touches only its own folder and app/: the example sink in test-support/example-sink/
 * imports nothing but the contracts and the core config, and this test wires it the way app/ would (its
 * schema in the `sinks` union, its builder beside the others) with no change anywhere else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { composeConfigSchema } from './config-schema';
import { buildSinks, SINK_BUILDERS, sinkConfigSchemas, type SinkBuilder } from './sink-registry';
import { ExampleSink, exampleSinkConfig, type ExampleSinkConfig } from '../../test-support/example-sink/example-sink';
import { testDeps } from '../sinks/__fixtures__/sink-test-helpers';
import type { AgentState } from '../state';

const EXAMPLE_DIR = join(__dirname, '..', '..', 'test-support', 'example-sink');

const schema = composeConfigSchema(z.discriminatedUnion('type', [...sinkConfigSchemas(), exampleSinkConfig]));
const builders: Record<string, SinkBuilder> = {
  ...(SINK_BUILDERS as unknown as Record<string, SinkBuilder>),
  example: (cfg, name) => ({ sink: new ExampleSink(name, cfg as ExampleSinkConfig), intervalMs: 0 }),
};
const config = (sinks: unknown[]) => ({
  sources: { sim: { type: 'simulator' } },
  targets: [{ id: 't', kubernetes: { namespace: 'n', name: 't' }, load: { source: 'sim', query: 'x' }, capacityPerPod: 1, maxReplicas: 2 }],
  sinks,
});

describe('a sink added beside the others (its folder and app/ only)', () => {
  test('its folder imports only the contracts and the core config', () => {
    const text = readFileSync(join(EXAMPLE_DIR, 'example-sink.ts'), 'utf8');
    const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(specifiers).toEqual(['zod', '../../src/config/common', '../../src/contracts/sink']);
  });

  test('its config validates in the composed schema, next to the registered sinks, and it is built and fed', () => {
    const cfg = schema.parse(config([{ type: 'example', name: 'ex', prefix: 'wedsync_' }, { type: 'memory' }]));
    expect(cfg.sinks.map((s) => s.type)).toEqual(['example', 'memory']);
    const [example, memory] = buildSinks(cfg.sinks, testDeps(), builders);
    expect([example.sink.name, example.sink.type, memory.sink.type]).toEqual(['ex', 'example', 'memory']);
    const samples = [
      { name: 'wedsync_agent_ticks_total', labels: {}, value: 3, kind: 'counter' as const, atMs: 1 },
      { name: 'process_cpu_seconds_total', labels: {}, value: 1, kind: 'counter' as const, atMs: 1 },
    ];
    expect(example.sink.export({ atMs: 1, samples, state: {} as AgentState })).toEqual({ accepted: 1, dropped: 0 });
    expect((example.sink as ExampleSink).received.map((s) => s.name)).toEqual(['wedsync_agent_ticks_total']);
  });

  test('its own rules and the shared ones apply: a bad key names the key, duplicate names are refused', () => {
    const bad = schema.safeParse(config([{ type: 'example', prefix: '' }]));
    expect(bad.success).toBe(false);
    const issues = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toEqual([expect.stringMatching(/^sinks\.0\.prefix: /)]);
    const dup = schema.safeParse(
      config([
        { type: 'example', prefix: 'a' },
        { type: 'example', prefix: 'b' },
      ]),
    );
    expect(dup.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'sinks.1.name: duplicate sink name "example" (also sinks[0]); give each example sink its own name',
    ]);
  });

  test('without it, the registered schema still refuses the type', () => {
    expect(() => buildSinks([{ type: 'example' }], testDeps())).toThrow(/unknown sink type "example" \(known: console, datadog, memory, newrelic, pagerduty\)/);
  });
});
