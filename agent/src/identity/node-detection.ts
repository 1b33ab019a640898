/**
 * Detects provider and region from the cluster's nodes: one `list nodes` (limit 20), read-only. The
 * permission is optional (agent/deploy/addons/node-identity): a 403, a timeout or any other failure means
 * "not detected" — the agent starts anyway with `other` / `unknown` and says why in its log. Never throws.
 */
import { raceTimeout } from '../util/timeout';
import { identityFromNodes, type NodeFacts, type Provider } from './identity';

export type NodeLister = (limit: number) => Promise<NodeFacts[]>;

export interface NodeDetection {
  provider?: Provider;
  region?: string;
  /** Why nothing (or only part) was detected; null when both were. */
  note: string | null;
}

export async function detectFromNodes(list: NodeLister, timeoutMs: number): Promise<NodeDetection> {
  try {
    const nodes = await raceTimeout(list(20), timeoutMs);
    if (nodes === 'timeout') return { note: `listing nodes timed out after ${timeoutMs} ms: not detected` };
    const found = identityFromNodes(nodes);
    const missing = [!found.provider && 'provider (no node has spec.providerID)', !found.region && 'region (no node has topology.kubernetes.io/region)'].filter(
      Boolean,
    );
    return { ...found, note: missing.length ? `not detected: ${missing.join(', ')}` : null };
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 403)
      return { note: 'no permission to list nodes (optional: apply agent/deploy/addons/node-identity, or set agent.provider and agent.region): not detected' };
    return { note: `listing nodes failed: ${(err as Error).message}: not detected` };
  }
}
