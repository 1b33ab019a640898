/**
 * The demo's fleet flags → config keys, so several demos can play the clusters of one fleet:
 *   wedsync-agent demo --cluster eu-a --provider eks --region eu-west-1 --peer eu-b --fleet-query http://127.0.0.1:9090
 * The values are validated by the config schema like a file's (errors name `agent.provider`, `fleet.peers[0]`, …).
 */
/** Config keys laid over the bundled demo.yaml (the demo's `config` option). */
export type DemoConfigOverlay = { agent?: Record<string, unknown>; fleet?: unknown; sinks?: unknown[]; paging?: Record<string, unknown> };

export interface DemoFleetFlags {
  cluster?: string;
  provider?: string;
  region?: string;
  fleetQuery?: string;
  /** `cluster` or `cluster=share`. */
  peer?: string[];
}

export function demoFleetConfig(flags: DemoFleetFlags): DemoConfigOverlay {
  const agent = Object.fromEntries(
    Object.entries({ cluster: flags.cluster, provider: flags.provider, region: flags.region }).filter(([, v]) => v !== undefined),
  );
  const peers = (flags.peer ?? []).map((p) => {
    const [cluster, share] = p.split('=');
    return share === undefined ? cluster : { cluster, share: Number(share) };
  });
  const fleet = flags.fleetQuery !== undefined || peers.length ? { ...(flags.fleetQuery !== undefined ? { query: flags.fleetQuery } : {}), peers } : undefined;
  return { ...(Object.keys(agent).length ? { agent } : {}), ...(fleet ? { fleet } : {}) };
}
