/** What /readyz says about the durable state when it works only in part (ops-routes.ts `degraded`). */
import type { DurableStatus } from './durable-state-store';

export function durableProblems(s: DurableStatus): string[] {
  const out: string[] = [];
  if (!s.durable)
    out.push(
      `state not durable: ${s.store}: ${s.lastError ?? 'unknown error'}; overrides and audit are kept in memory only (lost on restart) until a write succeeds`,
    );
  if (s.setAside)
    out.push(
      `state set aside: the stored state was unreadable (${s.setAside.reason}) and was kept at ${s.setAside.keptAt} on ${new Date(s.setAside.atMs).toISOString()}; what it held is not in force — re-create overrides from it by hand`,
    );
  return out;
}
