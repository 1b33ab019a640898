import { ConfigError, parseConfig } from '../app/config-load';
import { policyFor } from './target-policy';

const yaml = (targetPolicy: string) => `
sources: { prom: { type: prometheus, url: "http://127.0.0.1:9090" } }
policy: { scaleDownStabilizationSeconds: 600, burstQuantile: 0.9 }
targets:
  - { id: api, kubernetes: { namespace: n, name: api }, load: { source: prom, query: "sum(x)" }, capacityPerPod: 10, maxReplicas: 20${targetPolicy} }
  - { id: web, kubernetes: { namespace: n, name: web }, load: { source: prom, query: "sum(y)" }, capacityPerPod: 10, maxReplicas: 20 }
`;

describe('per-target policy overrides', () => {
  test('a target overrides only the settings it names; the other targets keep the global policy', () => {
    const cfg = parseConfig(yaml(', policy: { burstQuantile: 0.95, predictiveWindowSeconds: 300 }'), 'c.yaml', {});
    const [api, web] = cfg.targets;
    expect(api.policy).toEqual({ burstQuantile: 0.95, predictiveWindowSeconds: 300 });
    const mine = policyFor(cfg.policy, api);
    expect(mine).toMatchObject({ burstQuantile: 0.95, predictiveWindowSeconds: 300, scaleDownStabilizationSeconds: 600, maxScaleUpPods: 4 });
    expect(policyFor(cfg.policy, web)).toBe(cfg.policy);
    expect(cfg.policy.burstQuantile).toBe(0.9);
  });

  test.each([
    [', policy: { burstQuantil: 0.95 }', /targets\[0\]\.policy.*burstQuantil/],
    [', policy: { burstQuantile: 1.5 }', /targets\[0\]\.policy\.burstQuantile/],
    [', policy: { saturdayHold: sometimes }', /targets\[0\]\.policy\.saturdayHold/],
  ])('%s is refused, naming the key', (patch, message) => {
    let error: unknown;
    try {
      parseConfig(yaml(patch), 'c.yaml', {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });
});
