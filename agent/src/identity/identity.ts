/**
 * Which cluster, cloud and region this agent runs in: the labels a fleet view groups by. From the config
 * when set, else detected from the nodes when the agent is connected to Kubernetes (node-detection.ts),
 * else `other` / `unknown`. Pure: the node facts come in as data.
 */

import type { Provider } from '../config/schema';

export type { Provider };

export interface AgentIdentity {
  cluster: string;
  provider: Provider;
  region: string;
}

/** What identity detection needs from a node: `spec.providerID` and its labels. */
export interface NodeFacts {
  providerID?: string;
  labels: Record<string, string>;
}

export const UNKNOWN_REGION = 'unknown';
const REGION_LABELS = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];

/** The managed Kubernetes a node's providerID names (aws:///eu-west-1a/i-… → eks, gce://… → gke, azure://… → aks). */
export function providerFromProviderId(providerID: string | undefined): Provider {
  const scheme = /^([a-z]+):\/\//i.exec(providerID ?? '')?.[1]?.toLowerCase();
  if (scheme === 'aws') return 'eks';
  if (scheme === 'gce') return 'gke';
  if (scheme === 'azure') return 'aks';
  return 'other';
}

/** The provider and region most nodes agree on; undefined where no node says. */
export function identityFromNodes(nodes: readonly NodeFacts[]): { provider?: Provider; region?: string } {
  const providers = nodes.filter((n) => n.providerID).map((n) => providerFromProviderId(n.providerID));
  const regions = nodes.map((n) => REGION_LABELS.map((l) => n.labels[l]).find(Boolean)).filter((r): r is string => !!r);
  return { provider: mostCommon(providers), region: mostCommon(regions) };
}

/** Config first (an operator's word beats a guess), then what the nodes said, then other/unknown. */
export function resolveIdentity(
  config: { cluster: string; provider?: Provider; region?: string },
  detected: { provider?: Provider; region?: string } = {},
): AgentIdentity {
  return { cluster: config.cluster, provider: config.provider ?? detected.provider ?? 'other', region: config.region ?? detected.region ?? UNKNOWN_REGION };
}

function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: T | undefined;
  for (const [v, c] of counts) if (best === undefined || c > counts.get(best)!) best = v;
  return best;
}
