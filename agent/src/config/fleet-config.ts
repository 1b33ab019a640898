/**
 * The `fleet` key: which clusters share traffic with this one, and where the global metrics store answers
 * (Thanos Query, Mimir, or a central Prometheus fed by remote_write). Composed into config/schema.ts;
 * `fleetIssues` holds the rules that need the rest of the config (this cluster's own name).
 *
 * Times here are wall-clock seconds: they are compared with the sample timestamps of the global store,
 * never with the agent's (possibly simulated) clock.
 */
import { z } from 'zod';
import { positiveSeconds } from './common';

/** A cluster name as it appears in the `cluster` label (external label) of the global store. */
const clusterName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'must be a cluster label value: letters, digits, "_", "." and "-" (at most 63)');

/** A peer: its name, or `{cluster, share}` where share is its relative weight in the shared traffic. */
const peerSchema = z.union([
  clusterName.transform((cluster) => ({ cluster, share: 1 })),
  z.object({ cluster: clusterName, share: z.number().positive().default(1) }).strict(),
]);

export const fleetSchema = z
  .object({
    /** Base URL of a Prometheus-compatible query API holding every cluster's series (`/api/v1/query` is appended). */
    query: z
      .url()
      .refine((u) => /^https?:\/\//i.test(u), { message: 'must be an http(s) URL' })
      .optional(),
    bearerToken: z.string().optional(),
    /** Clusters that take over this one's traffic and whose traffic this one takes over (same region group). */
    peers: z.array(peerSchema).default([]),
    /** This cluster's relative weight in the shared traffic (peers' shares are on the same scale). */
    share: z.number().positive().default(1),
    /** How often the global store is asked (wall clock). */
    intervalSeconds: positiveSeconds.default(15),
    /** A query slower than this counts as missing data (hold), never as a lost peer. */
    timeoutSeconds: positiveSeconds.default(5),
    /** A peer whose wedsync_agent_info has no sample this recent in the global store is lost. */
    staleAfterSeconds: positiveSeconds.default(120),
    /** A peer serving less than this fraction of the load its live weddings are expected to bring is lost too. */
    collapseRatio: z.number().min(0).max(1).default(0.2),
    /** After a lost peer returns, the raised floor is released linearly over this many seconds. */
    releaseSeconds: z.number().min(0).default(1800),
  })
  .strict();

export type FleetConfig = z.infer<typeof fleetSchema>;
export type FleetPeer = FleetConfig['peers'][number];
export const FLEET_DEFAULTS: FleetConfig = fleetSchema.parse({});

/** Cross-field rules (called from the config's superRefine): each issue names its key under `fleet`. */
export function fleetIssues(fleet: FleetConfig, selfCluster: string): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  if (fleet.peers.length > 0 && !fleet.query)
    out.push({ path: ['fleet', 'query'], message: 'is required when fleet.peers is set: the global store is where peers are watched' });
  const seen = new Map<string, number>();
  fleet.peers.forEach((p, i) => {
    if (p.cluster === selfCluster) out.push({ path: ['fleet', 'peers', i], message: `"${p.cluster}" is this agent's own cluster (agent.cluster)` });
    if (seen.has(p.cluster)) out.push({ path: ['fleet', 'peers', i], message: `duplicate peer "${p.cluster}" (also fleet.peers[${seen.get(p.cluster)}])` });
    seen.set(p.cluster, i);
  });
  if (fleet.timeoutSeconds > fleet.intervalSeconds)
    out.push({
      path: ['fleet', 'timeoutSeconds'],
      message: `(${fleet.timeoutSeconds}) is longer than fleet.intervalSeconds (${fleet.intervalSeconds}): one query at a time`,
    });
  if (fleet.staleAfterSeconds <= fleet.intervalSeconds)
    out.push({
      path: ['fleet', 'staleAfterSeconds'],
      message: `(${fleet.staleAfterSeconds}) must be longer than fleet.intervalSeconds (${fleet.intervalSeconds}), or every peer looks lost between two queries`,
    });
  return out;
}
