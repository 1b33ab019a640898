import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectSamples } from './samples';

describe('collectSamples', () => {
  test('turns a registry into samples exactly as /metrics shows them, histograms as _bucket/_sum/_count', async () => {
    const registry = new Registry();
    new Gauge({ name: 'g', help: 'h', labelNames: ['target'], registers: [registry] }).set({ target: 'checkout' }, 3);
    new Counter({ name: 'c_total', help: 'h', registers: [registry] }).inc(2);
    new Histogram({ name: 'd_seconds', help: 'h', buckets: [0.1, 1], registers: [registry] }).observe(0.5);
    const samples = await collectSamples(registry, 1234);
    expect(samples).toEqual([
      { name: 'g', labels: { target: 'checkout' }, value: 3, kind: 'gauge', atMs: 1234 },
      { name: 'c_total', labels: {}, value: 2, kind: 'counter', atMs: 1234 },
      { name: 'd_seconds_bucket', labels: { le: '0.1' }, value: 0, kind: 'counter', atMs: 1234 },
      { name: 'd_seconds_bucket', labels: { le: '1' }, value: 1, kind: 'counter', atMs: 1234 },
      { name: 'd_seconds_bucket', labels: { le: '+Inf' }, value: 1, kind: 'counter', atMs: 1234 },
      { name: 'd_seconds_sum', labels: {}, value: 0.5, kind: 'counter', atMs: 1234 },
      { name: 'd_seconds_count', labels: {}, value: 1, kind: 'counter', atMs: 1234 },
    ]);
    // Every sample appears in the text exposition with the same value.
    const text = await registry.metrics();
    for (const s of samples)
      expect(text).toContain(
        `${s.name}${
          Object.keys(s.labels).length
            ? `{${Object.entries(s.labels)
                .map(([k, v]) => `${k}="${v}"`)
                .join(',')}}`
            : ''
        } ${s.value}`,
      );
  });

  test('skips values that are not finite (a gauge set to NaN)', async () => {
    const registry = new Registry();
    new Gauge({ name: 'n', help: 'h', registers: [registry] }).set(NaN);
    expect(await collectSamples(registry, 0)).toEqual([]);
  });
});
