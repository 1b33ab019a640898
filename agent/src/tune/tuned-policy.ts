/**
 * tuned-policy.yaml: the config patch. Per target, its `targetUtilization` and `policy` overrides (the
 * settings the pick changed from the defaults); paste each into the target of the same id. Targets whose
 * goal was not met are left out (named in a comment).
 */
import { stringify } from 'yaml';
import { asTargetPatch } from './search-space';
import type { TunedTarget } from './run-tune';

export function tunedPolicyYaml(results: readonly TunedTarget[], command: string): string {
  const met = results.filter((r) => r.choice.met);
  const unmet = results.filter((r) => !r.choice.met).map((r) => r.id);
  const targets = met.map((r) => ({ id: r.id, ...asTargetPatch(r.choice.settings) }));
  const head = [
    `# ${command}`,
    '# Per-target overrides chosen on the earlier part of the history and checked on the later part',
    "# (summary.json, report.html). Copy each entry's fields into the target with the same id in your config;",
    '# `policy` there overrides only the settings it names, for that target alone. An entry with only an id',
    '# means the defaults were the best choice.',
    ...(unmet.length ? [`# Goal not met (left out): ${unmet.join(', ')}`] : []),
  ];
  return `${head.join('\n')}\n${stringify({ targets })}`;
}
