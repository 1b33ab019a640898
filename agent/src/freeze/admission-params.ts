/**
 * The data of the ConfigMap the ValidatingAdmissionPolicy reads as its parameter
 * (agent/deploy/overlays/admission/policy.yaml). Pure: the freeze summary and an instant in, the
 * ConfigMap's `data` out. Keys (ConfigMap keys allow [-._a-zA-Z0-9]):
 *   expiresAt                       RFC 3339: the heartbeat. A change the API server stamps later than this
 *                                   passes (the agent stopped keeping the freeze: fail open).
 *   frozen.<Kind>.<namespace>.<name>  present while that workload is frozen; the value is the reason,
 *                                   shown in the refusal. Kind and namespace have no dots, so the key is
 *                                   unambiguous even for names with dots.
 * Only frozen targets appear: an empty map (or a missing ConfigMap) freezes nothing.
 */
import type { FreezeSummary } from './freeze-summary';

export const EXPIRES_AT_KEY = 'expiresAt';

export function frozenKey(kind: string, namespace: string, name: string): string {
  return `frozen.${kind}.${namespace}.${name}`;
}

export function admissionParams(summary: FreezeSummary, nowMs: number, ttlMs: number): Record<string, string> {
  const data: Record<string, string> = { [EXPIRES_AT_KEY]: new Date(nowMs + ttlMs).toISOString() };
  for (const t of summary.targets) {
    if (!t.frozen) continue;
    const k = t.kubernetes;
    data[frozenKey(k.kind, k.namespace, k.name)] = t.reason;
  }
  return data;
}

/** The same data without the heartbeat: two writes with equal `content` differ only in the heartbeat. */
export function paramsContent(data: Record<string, string>): string {
  return JSON.stringify(
    Object.entries(data)
      .filter(([k]) => k !== EXPIRES_AT_KEY)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}
