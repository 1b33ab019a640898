/**
 * How old the data behind a PromQL expression is. An instant query answers with the *evaluation* time as
 * its sample time, whatever the age of the samples it read: a plain selector looks back up to 5 minutes
 * (Prometheus's lookback delta), so a restarted or stalled Prometheus serves a minutes-old value stamped
 * "now". `timestamp(<selector>)` is the one PromQL form that returns a raw sample's own time (Prometheus
 * special-cases a vector selector inside `timestamp()`; around anything else, e.g. `sum()`, it returns
 * the evaluation time again). So the source parses the load query (Prometheus's own Lezer grammar), takes
 * every series selector in it, and asks for the newest sample time of each: the reading is as old as the
 * stalest of them.
 *
 * Why not a range query (`expr[2m]`)? A range selector only applies to a plain selector, and a subquery
 * (`(expr)[2m:]`) stamps its points with step times, i.e. evaluation times again.
 */
import type * as LezerPromQL from '@prometheus-io/lezer-promql' with { 'resolution-mode': 'import' };
// The package ships a CommonJS build beside its ES module; its types are declared for the ES module only.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: the CommonJS build, typed as the ES module
const { parser } = require('@prometheus-io/lezer-promql') as typeof LezerPromQL;

/** The distinct series selectors (`name{labels}`, without range, offset or `@`) in a PromQL expression. */
export function seriesSelectors(query: string): string[] {
  const tree = parser.parse(query);
  const found = new Set<string>();
  let broken = false;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) broken = true;
      if (node.name === 'VectorSelector') found.add(query.slice(node.from, node.to));
    },
  });
  // A query Prometheus will reject anyway gets no freshness query: the load query's own error is reported.
  return broken ? [] : [...found];
}

/**
 * One instant query whose single result is the newest sample time (seconds) of the *stalest* selector:
 * `max(timestamp(s))` per selector, labelled apart so that `or` keeps each, then `min`. Empty when any
 * selector has no sample within the lookback. Null when the query reads no series (e.g. `vector(1)`).
 */
export function freshnessQuery(query: string): string | null {
  const selectors = seriesSelectors(query);
  if (selectors.length === 0) return null;
  if (selectors.length === 1) return `max(timestamp(${selectors[0]}))`;
  const each = selectors.map((s, i) => `label_replace(max(timestamp(${s})), "wedsync_selector", "${i}", "", "")`);
  // `and on()` for every selector: a selector with no recent sample at all makes the answer empty (stale).
  const all = each.map((e) => `(${e})`).join(' or ');
  const everyPresent = selectors.map((s) => `count(timestamp(${s}))`).join(' and on() ');
  return `min(${all}) and on() (${everyPresent})`;
}
