import { freshnessQuery, seriesSelectors } from './prometheus-freshness';

describe('the series a PromQL query reads, and the query for their newest sample time', () => {
  it.each<[string, string[]]>([
    ['sum(rate(http_requests_total{job="api"}[5m]))', ['http_requests_total{job="api"}']],
    ['sum(load_rps) / on() group_left count(up{job="x"} offset 5m)', ['load_rps', 'up{job="x"}']],
    ['sum(a) + sum(a)', ['a']],
    ['max_over_time(sum(b)[10m:1m])', ['b']],
    ['{__name__="c", x!="y"}', ['{__name__="c", x!="y"}']],
    ['vector(5)', []],
    ['sum(rate(x[5m]', []],
  ])('%s', (query, selectors) => {
    expect(seriesSelectors(query)).toEqual(selectors);
  });

  it('one selector: the newest sample time; several: the stalest newest, empty when any has none', () => {
    expect(freshnessQuery('sum(rate(x{a="b"}[1m]))')).toBe('max(timestamp(x{a="b"}))');
    expect(freshnessQuery('vector(1)')).toBeNull();
    const q = freshnessQuery('sum(a) / sum(b)')!;
    expect(q).toMatch(
      /^min\(\(label_replace\(max\(timestamp\(a\)\), "wedsync_selector", "0", "", ""\)\) or \(label_replace\(max\(timestamp\(b\)\), .*\)\)\) and on\(\) \(count\(timestamp\(a\)\) and on\(\) count\(timestamp\(b\)\)\)$/,
    );
  });
});
