#!/usr/bin/env node
// Writes alert-rules/rules/*.yml into a folder with the agent selected by your selector instead of the
// default job="wedsync-agent" (as a mixin's agentSelector), for a Prometheus that loads rule files:
//   node scripts/render-alert-rules.mjs --selector 'job="kube-wedsync",namespace="ops"' --out /etc/prometheus/wedsync
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderRuleFiles } from './lib/render-alert-rules.mjs';

const { values } = parseArgs({ options: { selector: { type: 'string' }, out: { type: 'string' } } });
if (!values.selector || !values.out) {
  console.error('usage: node scripts/render-alert-rules.mjs --selector \'job="…"\' --out DIR');
  process.exit(2);
}
if (!/^\s*[a-zA-Z_]\w*\s*(=~|!~|!=|=)\s*"/.test(values.selector)) {
  console.error(`--selector: ${JSON.stringify(values.selector)} is not a PromQL label matcher list (e.g. job="wedsync-agent")`);
  process.exit(2);
}
mkdirSync(values.out, { recursive: true });
const rulesDir = join(fileURLToPath(import.meta.url), '..', '..', 'alert-rules', 'rules');
for (const [file, text] of renderRuleFiles(rulesDir, values.selector)) writeFileSync(join(values.out, file), text);
