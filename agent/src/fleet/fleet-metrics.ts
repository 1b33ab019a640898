/**
 * The fleet's series on /metrics, read from the state at scrape: `wedsync_agent_info` (the one series
 * carrying cluster/provider/region as labels: every other series gets `cluster` from Prometheus's
 * external labels), and each peer's health as this agent sees it.
 */
import { Gauge, type Registry } from 'prom-client';
import { UNKNOWN_REGION } from '../identity/identity';
import { METRIC } from '../metrics/names';
import type { AgentState } from '../state';

export function createFleetMetrics(state: AgentState, registry: Registry): void {
  new Gauge({
    name: METRIC.info,
    help: "This agent's identity (always 1): cluster, cloud provider (eks, gke, aks, other), region and version.",
    labelNames: ['cluster', 'provider', 'region', 'version'],
    registers: [registry],
    collect() {
      this.reset();
      const i = state.info;
      this.set({ cluster: i.cluster, provider: i.provider ?? 'other', region: i.region ?? UNKNOWN_REGION, version: i.version }, 1);
    },
  });
  const perPeer = (name: string, help: string, value: (health: string) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['peer'],
      registers: [registry],
      collect() {
        this.reset();
        for (const p of state.fleet?.peers ?? []) if (p.health !== 'unknown') this.set({ peer: p.cluster }, value(p.health));
      },
    });
  perPeer(METRIC.peerUp, '1 when the peer cluster reports to the global store (fleet.peers), 0 when it is lost.', (h) => (h === 'up' ? 1 : 0));
  perPeer(METRIC.peerLost, '1 while the peer cluster is lost and this agent holds its failover floor.', (h) => (h === 'lost' ? 1 : 0));
  new Gauge({
    name: METRIC.fleetDataOk,
    help: '1 when the global store answered with fresh data on the last round, 0 while it is missing (the agent holds).',
    registers: [registry],
    collect() {
      this.reset();
      if (state.fleet) this.set(state.fleet.dataOk ? 1 : 0);
    },
  });
}
