import { Counter, Histogram, Registry } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-path';

const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const values = [0, 0.004, 0.005, 0.0051, 0.3, 0.3, 7, 10, 11, 123.456, 0.1 + 0.2];

describe('HotHistogram', () => {
  it('shows what a prom-client Histogram with the same observations shows', async () => {
    const plain = new Registry();
    const hot = new Registry();
    const a = new Histogram({ name: 'tick_seconds', help: 'Tick duration.', buckets, registers: [plain] });
    const b = new HotHistogram({ name: 'tick_seconds', help: 'Tick duration.', buckets, registers: [hot] });
    const la = new Histogram({ name: 'read_seconds', help: 'Read.', labelNames: ['source'], buckets, registers: [plain] });
    const lb = new HotHistogram({ name: 'read_seconds', help: 'Read.', labelNames: ['source'] as const, buckets, registers: [hot] });
    // Before any observation: the unlabelled series at zero, no labelled series.
    expect(await hot.metrics()).toBe(await plain.metrics());
    const other = lb.seriesFor({ source: 'other' });
    for (const v of values) {
      a.observe(v);
      b.observe(v);
      la.observe({ source: 'push' }, v);
      lb.seriesFor({ source: 'push' }).observe(v);
    }
    la.observe({ source: 'other' }, 2);
    other.observe(2);
    expect(await hot.metrics()).toBe(await plain.metrics());
    expect(await hot.getMetricsAsJSON()).toEqual(await plain.getMetricsAsJSON());
    plain.resetMetrics();
    hot.resetMetrics();
    expect(await hot.metrics()).toBe(await plain.metrics());
    a.observe(0.2);
    b.observe(0.2);
    la.observe({ source: 'other' }, 3);
    other.observe(3);
    expect(await hot.metrics()).toBe(await plain.metrics());
  });

  it('refuses what prom-client refuses', () => {
    const h = new HotHistogram({ name: 'x', help: 'x', labelNames: ['source'] as const, buckets, registers: [] });
    expect(() => h.seriesFor({ source: 'a' }).observe(NaN)).toThrow(TypeError);
    expect(() => h.seriesFor({ nope: 'a' } as never)).toThrow(/not included/);
  });
});

describe('HotCounter', () => {
  it('counts series as plain numbers and hands them to the counter when it is read', async () => {
    const registry = new Registry();
    const hot = new HotCounter<'target' | 'direction'>({ name: 'decisions_total', help: 'd', labelNames: ['target', 'direction'], registers: [registry] });
    const up = hot.seriesFor({ target: 't', direction: 'up' });
    expect(hot.seriesFor({ direction: 'up', target: 't' })).toBe(up);
    const hold = hot.seriesFor({ target: 't', direction: 'hold' });
    for (let i = 0; i < 5; i++) up.inc();
    hold.inc();
    expect(await registry.metrics()).toMatch(/decisions_total\{target="t",direction="up"\} 5\n/);
    up.inc();
    // Direct increments still count, alongside the series.
    hot.counter.inc({ target: 't', direction: 'up' });
    const text = await registry.metrics();
    expect(text).toMatch(/decisions_total\{target="t",direction="up"\} 7\n/);
    expect(text).toMatch(/decisions_total\{target="t",direction="hold"\} 1\n/);
    expect(text).not.toMatch(/direction="down"/);
    expect(hot.counter).toBeInstanceOf(Counter);
  });
});
