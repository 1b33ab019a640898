/**
 * Whether a PromQL expression parses, by Prometheus's own grammar (@prometheus-io/lezer-promql, the
 * parser Prometheus's UI uses): `validate` and start-up refuse a query with a missing bracket offline,
 * instead of the first tick learning it from Prometheus.
 */
import type * as LezerPromQL from '@prometheus-io/lezer-promql' with { 'resolution-mode': 'import' };
// The package ships a CommonJS build beside its ES module; its types are declared for the ES module only.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: the CommonJS build, typed as the ES module
const { parser } = require('@prometheus-io/lezer-promql') as typeof LezerPromQL;

/** Null when the query parses; else where it stops parsing, with the text around that point. */
export function promqlSyntaxError(query: string): string | null {
  let at = -1;
  parser.parse(query).iterate({
    enter: (node) => {
      if (at < 0 && node.type.isError) at = node.from;
      return at < 0;
    },
  });
  if (at < 0) return null;
  const near = query.slice(Math.max(0, at - 20), at + 20);
  return at >= query.length
    ? `is not valid PromQL: it ends too early (an unclosed bracket or a missing operand?) after "${near}"`
    : `is not valid PromQL: syntax error at character ${at + 1}, near "${near}"`;
}
