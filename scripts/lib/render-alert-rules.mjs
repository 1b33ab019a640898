// The alert rules with the agent selected by another selector than the default `job="wedsync-agent"`
// (the mixin-style `agentSelector`): every occurrence of that exact text is replaced.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_AGENT_SELECTOR = 'job="wedsync-agent"';

export function ruleFileNames(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort();
}

/** [file name, text] of each rule file in dir, the selector replaced. */
export function renderRuleFiles(dir, selector = DEFAULT_AGENT_SELECTOR) {
  return ruleFileNames(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8').split(DEFAULT_AGENT_SELECTOR).join(selector)]);
}
