/**
 * The policy one target runs with: the global `policy`, with the target's own `policy` settings (if any)
 * in their place. Computed once per target where a pipeline or a replay is built; other targets keep
 * the global values untouched.
 */
import type { PlanPolicy, TargetConfig } from './schema';

export function policyFor(global: PlanPolicy, target: Pick<TargetConfig, 'policy'>): PlanPolicy {
  if (!target.policy) return global;
  const own = Object.fromEntries(Object.entries(target.policy).filter(([, v]) => v !== undefined));
  return { ...global, ...own };
}
