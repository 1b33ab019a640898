import { configSchema } from '../app/config-schema';
import { PriceBook } from './price-book';
import { tablePrice } from './price-table';
import { parseQuantity, podRequests } from './quantity';
import { replicaHourPriceQuery, podNamePattern } from './opencost-queries';

const config = configSchema.parse({
  sources: { push: { type: 'push' } },
  pricing: {
    currency: 'EUR',
    provider: 'gke',
    region: 'europe-west4',
    table: { gke: { 'europe-west4': { onDemand: { vcpuHour: 0.04, gibHour: 0.005 }, spot: { vcpuHour: 0.01, gibHour: 0.001 } } } },
  },
  targets: [
    {
      id: 'api',
      kubernetes: { namespace: 'n', name: 'api' },
      load: { source: 'push', query: 'x' },
      capacityPerPod: 10,
      maxReplicas: 20,
      cost: { podRequests: { cpu: 0.5, memoryGiB: 2 } },
    },
    {
      id: 'batch',
      kubernetes: { namespace: 'n', name: 'batch' },
      load: { source: 'push', query: 'y' },
      capacityPerPod: 10,
      maxReplicas: 20,
      cost: { capacityType: 'spot' },
    },
  ],
});
const [api, batch] = config.targets;

describe('the price table path', () => {
  test('requests × the row of this provider, region and capacity type', () => {
    const p = tablePrice(config.pricing, api.cost, { cpu: 0.5, memoryGiB: 2 });
    expect(p).toMatchObject({ source: 'table', currency: 'EUR' });
    expect(p.perReplicaHour).toBeCloseTo(0.5 * 0.04 + 2 * 0.005, 10);
    expect(p.detail).toMatch(/gke\/europe-west4 on-demand: 0.5 vCPU/);
    const spot = tablePrice(config.pricing, batch.cost, { cpu: 2, memoryGiB: 4 });
    expect(spot.perReplicaHour).toBeCloseTo(2 * 0.01 + 4 * 0.001, 10);
    expect(spot.detail).toMatch(/spot/);
  });

  test('unknown, never 0: no requests, no table row, no pricing', () => {
    expect(tablePrice(config.pricing, batch.cost, undefined)).toMatchObject({
      perReplicaHour: null,
      source: 'unknown',
      detail: expect.stringMatching(/pod requests unknown/),
    });
    expect(tablePrice(undefined, undefined, { cpu: 1, memoryGiB: 1 })).toMatchObject({ perReplicaHour: null, source: 'unknown' });
    expect(tablePrice({ ...config.pricing!, region: 'mars-1' }, undefined, { cpu: 1, memoryGiB: 1 })).toMatchObject({
      perReplicaHour: null,
      detail: 'pricing.table.gke.mars-1 is missing',
    });
  });

  test('the book: the workload spec first, then the target fallback; OpenCost while fresh, then the table', () => {
    let now = 1_000_000;
    const book = new PriceBook({ ...config.pricing!, opencost: { source: 'prom', refreshSeconds: 60 } }, () => now);
    // Workload spec wins over the target's fallback.
    expect(book.price(api, { cpu: 1, memoryGiB: 1 }).perReplicaHour).toBeCloseTo(0.045, 10);
    expect(book.price(api, undefined).perReplicaHour).toBeCloseTo(0.03, 10);
    expect(book.price(api, undefined).detail).toMatch(/^OpenCost not asked yet; price table:/);
    book.recordOpenCost('api', { ok: true, perReplicaHour: 0.0712, atMs: now });
    expect(book.price(api, undefined)).toMatchObject({ perReplicaHour: 0.0712, source: 'opencost' });
    // One failed refresh keeps a fresh answer.
    book.recordOpenCost('api', { ok: false, error: 'timeout', atMs: now + 60_000 });
    expect(book.price(api, undefined).source).toBe('opencost');
    // Three refresh periods later the answer is too old: the table again.
    now += 181_000;
    expect(book.price(api, undefined)).toMatchObject({ source: 'table', detail: expect.stringMatching(/^OpenCost answer too old/) });
    book.recordOpenCost('api', { ok: false, error: 'no OpenCost series for this workload', atMs: now });
    expect(book.price(api, undefined).detail).toMatch(/^OpenCost no OpenCost series for this workload; price table/);
    // No OpenCost, no requests: unknown (null), never 0.
    expect(book.price(batch, undefined)).toMatchObject({ perReplicaHour: null, source: 'unknown' });
  });
});

describe('pod requests from the workload spec', () => {
  test.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['512Mi', 512 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['2e3', 2000],
    [0.25, 0.25],
  ])('%s → %d', (q, n) => expect(parseQuantity(q)).toBeCloseTo(n, 6));

  test.each([['abc'], ['1Zi'], [''], [undefined]])('%s is unreadable', (q) => expect(parseQuantity(q)).toBeUndefined());

  test('summed over containers; a container without requests makes the pod unknown', () => {
    const c = (cpu?: string, memory?: string) => ({ resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } });
    expect(podRequests([c('250m', '256Mi'), c('250m', '768Mi')])).toEqual({ cpu: 0.5, memoryGiB: 1 });
    expect(podRequests([c('250m', '256Mi'), c('250m')])).toBeUndefined();
    expect(podRequests([])).toBeUndefined();
  });
});

describe('OpenCost PromQL', () => {
  test("matches a Deployment's pods by the controller's naming, a StatefulSet's by ordinal", () => {
    expect(podNamePattern({ kind: 'Deployment', name: 'photo-upload' })).toBe('photo-upload-[a-z0-9]+-[a-z0-9]+');
    expect(podNamePattern({ kind: 'StatefulSet', name: 'db' })).toBe('db-[0-9]+');
    expect(podNamePattern({ kind: 'Deployment', name: 'a.b' })).toBe('a\\\\.b-[a-z0-9]+-[a-z0-9]+');
    const q = replicaHourPriceQuery({ kind: 'Deployment', namespace: 'wedsync', name: 'api' });
    for (const series of ['container_cpu_allocation', 'container_memory_allocation_bytes', 'node_cpu_hourly_cost', 'node_ram_hourly_cost'])
      expect(q).toContain(series);
    expect(q).toContain('namespace="wedsync",pod=~"api-[a-z0-9]+-[a-z0-9]+"');
  });
});
