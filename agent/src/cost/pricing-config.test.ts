/** Bad price tables: `validate` (the config schema) names the key at fault and why. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile } from '../app/config-load';
import { configSchema } from '../app/config-schema';

const base = (): Record<string, any> => ({
  sources: { prom: { type: 'prometheus', url: 'http://127.0.0.1:9090' }, push: { type: 'push' } },
  pricing: {
    provider: 'eks',
    region: 'eu-west-1',
    table: { eks: { 'eu-west-1': { onDemand: { vcpuHour: 0.04, gibHour: 0.005 }, spot: { vcpuHour: 0.012, gibHour: 0.0015 } } } },
  },
  targets: [{ id: 'api', kubernetes: { namespace: 'n', name: 'api' }, load: { source: 'prom', query: 'x' }, capacityPerPod: 10, maxReplicas: 20 }],
});

const rows: Array<{ name: string; patch: (c: Record<string, any>) => void; path: string; message: RegExp }> = [
  {
    name: 'a region the table does not have',
    patch: (c) => (c.pricing.region = 'us-east-1'),
    path: 'pricing.table.eks.us-east-1',
    message: /is missing: pricing.region is "us-east-1" \(the table has eu-west-1\)/,
  },
  {
    name: 'a negative vCPU price',
    patch: (c) => (c.pricing.table.eks['eu-west-1'].onDemand.vcpuHour = -0.01),
    path: 'pricing.table.eks.eu-west-1.onDemand.vcpuHour',
    message: />=0/,
  },
  {
    name: 'a negative spot GiB price',
    patch: (c) => (c.pricing.table.eks['eu-west-1'].spot.gibHour = -1),
    path: 'pricing.table.eks.eu-west-1.spot.gibHour',
    message: />=0/,
  },
  {
    name: 'an unknown provider in the table',
    patch: (c) => (c.pricing.table.ec2 = { x: { onDemand: { vcpuHour: 1, gibHour: 1 } } }),
    path: 'pricing.table.ec2',
    message: /unknown provider "ec2" \(known: eks, gke, aks, other\)/,
  },
  { name: 'an unknown pricing.provider', patch: (c) => (c.pricing.provider = 'digitalocean'), path: 'pricing.provider', message: /eks|gke|aks|other/ },
  {
    name: 'a provider with no prices',
    patch: (c) => (c.pricing.provider = 'gke'),
    path: 'pricing.table.gke',
    message: /is missing: pricing.provider is "gke"/,
  },
  { name: 'a region without a provider', patch: (c) => delete c.pricing.provider, path: 'pricing.provider', message: /is required when pricing.region is set/ },
  {
    name: 'spot capacity without spot prices',
    patch: (c) => {
      c.pricing.capacityType = 'spot';
      delete c.pricing.table.eks['eu-west-1'].spot;
    },
    path: 'pricing.table.eks.eu-west-1.spot',
    message: /is missing: pricing.capacityType is "spot"/,
  },
  {
    name: 'a target on spot without spot prices',
    patch: (c) => {
      delete c.pricing.table.eks['eu-west-1'].spot;
      c.targets[0].cost = { capacityType: 'spot' };
    },
    path: 'targets.0.cost.capacityType',
    message: /no spot prices/,
  },
  {
    name: 'OpenCost from an unknown source',
    patch: (c) => (c.pricing.opencost = { source: 'thanos' }),
    path: 'pricing.opencost.source',
    message: /unknown source "thanos"/,
  },
  {
    name: 'OpenCost from a push source',
    patch: (c) => (c.pricing.opencost = { source: 'push' }),
    path: 'pricing.opencost.source',
    message: /is push; OpenCost is read from a prometheus source/,
  },
  {
    name: 'pricing.provider/region unset and the agent identity has no row',
    patch: (c) => {
      delete c.pricing.provider;
      delete c.pricing.region;
      c.agent = { provider: 'eks', region: 'us-east-1' };
    },
    path: 'pricing.table.eks.us-east-1',
    message: /is missing: agent.provider\/agent.region are "eks"\/"us-east-1"/,
  },
  { name: 'a currency that is no ISO code', patch: (c) => (c.pricing.currency = 'dollars'), path: 'pricing.currency', message: /ISO 4217/ },
  {
    name: 'zero pod requests',
    patch: (c) => (c.targets[0].cost = { podRequests: { cpu: 0, memoryGiB: 1 } }),
    path: 'targets.0.cost.podRequests.cpu',
    message: />0/,
  },
];

describe('pricing config', () => {
  test('a good table passes, and pricing is optional', () => {
    expect(configSchema.safeParse(base()).success).toBe(true);
    const c = base();
    delete c.pricing;
    expect(configSchema.safeParse(c).success).toBe(true);
  });

  test.each(rows)('$name → $path', ({ patch, path, message }) => {
    const cfg = base();
    patch(cfg);
    const result = configSchema.safeParse(cfg);
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.join('.') === path);
    expect({ path, message: issue?.message }).toEqual({ path, message: expect.stringMatching(message) });
  });

  test('unset, the table row is the configured cluster identity (agent.provider / agent.region)', () => {
    const c = base();
    delete c.pricing.provider;
    delete c.pricing.region;
    c.agent = { provider: 'eks', region: 'eu-west-1' };
    const parsed = configSchema.parse(c);
    expect([parsed.pricing?.provider, parsed.pricing?.region]).toEqual(['eks', 'eu-west-1']);
  });

  test('the config loader (what `validate` runs) names the file and the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pricing-'));
    try {
      const file = join(dir, 'agent.yaml');
      const cfg = base();
      cfg.pricing.table.eks['eu-west-1'].onDemand.gibHour = -0.5;
      writeFileSync(file, JSON.stringify(cfg));
      expect(() => loadConfigFile(file)).toThrow(ConfigError);
      expect(() => loadConfigFile(file)).toThrow(/agent\.yaml[\s\S]*pricing\.table\.eks\.eu-west-1\.onDemand\.gibHour/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
