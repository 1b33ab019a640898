/**
 * Which metric names a PromQL expression reads. Not a full parser: it removes what cannot be a metric
 * name (strings, label matchers, ranges, grouping clauses, numbers, Grafana variables) and keeps the
 * identifiers that are neither functions (followed by "(") nor PromQL keywords. Good enough to catch a
 * dashboard or rule that names a metric the agent does not export.
 */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'group',
  'inf',
  'nan',
  'Inf',
  'NaN',
]);

export function metricNamesIn(expr: string): string[] {
  const cleaned = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""') // string literals
    .replace(/\$\{?\w+(?::\w+)?\}?/g, ' ') // Grafana variables: $cluster, ${target:regex}, $__rate_interval
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges and subqueries
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/(?<![\w:.])\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|[smhdwy])?(?![\w:])/gi, ' '); // numbers and durations
  const names = new Set<string>();
  for (const m of cleaned.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const after = cleaned.slice((m.index ?? 0) + m[0].length).trimStart();
    if (after.startsWith('(') || KEYWORDS.has(m[0])) continue;
    names.add(m[0]);
  }
  return [...names];
}
