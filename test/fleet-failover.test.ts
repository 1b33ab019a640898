/**
 * The fleet with real servers: two demo agents (clusters "eu-a" on EKS and "eu-b" on GKE, each the
 * other's peer) are each scraped by their own real Prometheus (Debian `prometheus`, `external_labels:
 * {cluster: …}`), and both Prometheus `remote_write` into a third, central one
 * (`--web.enable-remote-write-receiver`): the global store the agents watch each other through.
 *
 *   1. Every query of the fleet dashboard, run against the central Prometheus, returns both clusters.
 *   2. Cluster eu-a's agent and Prometheus stop: eu-b raises its floors within the staleness bound plus a
 *      fleet round and a tick, with the reason "peer cluster eu-a lost", and pages (PagerDuty: a local
 *      HTTPS stand-in of the Events API, the real @pagerduty/pdjs client).
 *   3. The central Prometheus stops: eu-b holds — the floor stays, nothing is released, nothing scales down.
 *   4. The central Prometheus and cluster eu-a come back: eu-b releases the floor gradually, and the page resolves.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Agent } from '../agent/src/app/agent';
import { createDemoAgent } from '../agent/src/cli/demo';
import { REPO_ROOT } from './support/alerting-metrics';
import { metricNamesIn } from './support/alerting-promql';
import { freePort, startProcess, waitFor, type RunningProcess } from './support/alerting-processes';
import { requireTool } from './support/alerting-tools';
import { selfSignedCert, startCaptureServer, type CaptureServer } from './sinks-capture';

jest.setTimeout(180_000);

/** Wall-clock fleet timings (fleet.*): short, so the test is quick. */
const STALE_AFTER_S = 6;
const FLEET_INTERVAL_S = 1;
/** The demo ticks once per real second (60 simulated seconds at 60×). */
const TICK_S = 1;
const ROUTING_KEY = 'FLEETTESTROUTINGKEY0123456789abc';

type Sample = { metric: Record<string, string>; value: [number, string] };
async function promQuery(port: number, query: string): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { status: string; data: { result: Sample[] } };
  if (body.status !== 'success') throw new Error(`query ${query}: ${JSON.stringify(body)}`);
  return body.data.result;
}

/** A cluster's Prometheus: scrapes its agent every second, labels everything with its cluster, forwards to the centre. */
function clusterPrometheusConfig(dir: string, cluster: string, agentPort: number, centralPort: number): string {
  const file = join(dir, `prometheus-${cluster}.yml`);
  writeFileSync(
    file,
    stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s', external_labels: { cluster } },
      scrape_configs: [{ job_name: 'wedsync-agent', static_configs: [{ targets: [`127.0.0.1:${agentPort}`] }] }],
      remote_write: [
        { url: `http://127.0.0.1:${centralPort}/api/v1/write`, queue_config: { batch_send_deadline: '1s', min_backoff: '100ms', max_backoff: '1s' } },
      ],
    }),
  );
  return file;
}

const prometheusArgs = (config: string, data: string, port: number, extra: string[] = []) => [
  `--config.file=${config}`,
  `--storage.tsdb.path=${data}`,
  `--web.listen-address=127.0.0.1:${port}`,
  ...extra,
];

/** The fleet dashboard's queries with its variables set to "All", as Grafana sends them. */
function fleetDashboardQueries(): Array<{ panel: string; expr: string }> {
  const d = JSON.parse(readFileSync(join(REPO_ROOT, 'dashboards', 'wedsync-fleet-clusters.json'), 'utf8')) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  };
  return d.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr.replace(/\$__rate_interval/g, '1m').replace(/\$\{?(\w+)\}?/g, '.*') })),
  );
}

describe('fleet failover: two demo agents, their own real Prometheus each, remote_write into a central real Prometheus', () => {
  const processes: RunningProcess[] = [];
  const agents: Agent[] = [];
  let dir = '';
  let pagerDuty: CaptureServer | undefined;
  let tlsAgent: HttpsAgent | undefined;

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop(3000)));
    await Promise.all(processes.map((p) => p.stop()));
    tlsAgent?.destroy();
    await pagerDuty?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("both clusters in every fleet dashboard query; a lost peer raises the survivor's floors and pages; the store's outage holds", async () => {
    const prometheusBin = requireTool('prometheus');
    dir = mkdtempSync(join(tmpdir(), 'wedsync-fleet-'));
    const tls = selfSignedCert();
    pagerDuty = await startCaptureServer({ tls, respond: () => ({ status: 202, body: '{"status":"success","message":"Event processed"}' }) });
    tlsAgent = new HttpsAgent({ ca: tls.cert, keepAlive: false });
    const [centralPort, promAPort, promBPort] = [await freePort(), await freePort(), await freePort()];
    const central = `http://127.0.0.1:${centralPort}`;
    const diagnostics = () => processes.map((p) => p.output()).join('\n');

    const agentFor = (cluster: string, provider: string, region: string, peer: string) =>
      createDemoAgent({
        port: 0,
        speed: 60,
        start: '2027-06-04T12:00:00Z',
        env: { FLEET_PD_KEY: ROUTING_KEY },
        config: {
          agent: { cluster, provider, region, logLevel: 'silent' },
          fleet: {
            query: central,
            peers: [peer],
            intervalSeconds: FLEET_INTERVAL_S,
            timeoutSeconds: 1,
            staleAfterSeconds: STALE_AFTER_S,
            releaseSeconds: 1800,
          },
          sinks: [{ type: 'pagerduty', routingKey: '${FLEET_PD_KEY}', server: pagerDuty!.hostPort }],
          paging: { unreachableAfterSeconds: 3600 },
        },
        sinkDeps: { pagerDutyAgent: tlsAgent },
      });
    const a = agentFor('eu-a', 'eks', 'eu-west-1', 'eu-b');
    const b = agentFor('eu-b', 'gke', 'europe-west1', 'eu-a');
    agents.push(a, b);
    const [addrA, addrB] = [await a.start(), await b.start()];

    writeFileSync(join(dir, 'central.yml'), stringify({ global: { scrape_interval: '1s' } }));
    processes.push(
      startProcess(
        'prometheus-central',
        prometheusBin,
        prometheusArgs(join(dir, 'central.yml'), join(dir, 'central'), centralPort, ['--web.enable-remote-write-receiver']),
      ),
    );
    const promA = startProcess(
      'prometheus-eu-a',
      prometheusBin,
      prometheusArgs(clusterPrometheusConfig(dir, 'eu-a', addrA.port, centralPort), join(dir, 'eu-a'), promAPort),
    );
    const promB = startProcess(
      'prometheus-eu-b',
      prometheusBin,
      prometheusArgs(clusterPrometheusConfig(dir, 'eu-b', addrB.port, centralPort), join(dir, 'eu-b'), promBPort),
    );
    processes.push(promA, promB);

    // Both agents see the other through the central store.
    await waitFor(
      'each agent to see its peer up through the central Prometheus',
      async () =>
        b.state.fleet?.dataOk && b.state.fleet.peers[0].health === 'up' && a.state.fleet?.dataOk && a.state.fleet.peers[0].health === 'up' ? true : undefined,
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nfleet a: ${JSON.stringify(a.state.fleet)}\nfleet b: ${JSON.stringify(b.state.fleet)}\n${diagnostics()}`);
    });

    // 1. The identity series, and every fleet dashboard query, answer for both clusters from the centre.
    const info = await promQuery(centralPort, 'wedsync_agent_info');
    expect(info.map((s) => [s.metric.cluster, s.metric.provider, s.metric.region]).sort()).toEqual([
      ['eu-a', 'eks', 'eu-west-1'],
      ['eu-b', 'gke', 'europe-west1'],
    ]);
    const exposed = await (await fetch(`http://127.0.0.1:${addrB.port}/metrics`)).text();
    for (const { panel, expr } of fleetDashboardQueries()) {
      // Every metric a fleet panel reads is exported by the agent (cost per hour included: the demo ships a price table).
      expect({ panel, missing: metricNamesIn(expr).filter((m) => !exposed.includes(`\n${m}{`) && !exposed.includes(`\n${m} `)) }).toEqual({
        panel,
        missing: [],
      });
      const clusters = await waitFor(
        `"${panel}" to return both clusters`,
        async () => {
          const got = new Set((await promQuery(centralPort, expr)).map((s) => s.metric.cluster));
          return got.has('eu-a') && got.has('eu-b') ? got : undefined;
        },
        15_000,
      );
      expect({ panel, clusters: [...clusters].sort() }).toEqual({ panel, clusters: ['eu-a', 'eu-b'] });
    }
    expect(pagerDuty.requests).toEqual([]);

    // 2. Cluster eu-a goes away (its agent and its Prometheus).
    const before = new Map([...b.state.targets.values()].map((t) => [t.config.id, t.decision!.desiredReplicas]));
    const lostAt = Date.now();
    await Promise.all([agents.shift()!.stop(3000), promA.stop()]);
    const raisedAt = await waitFor(
      'eu-b to raise its floors for the lost peer',
      async () => {
        const decisions = [...b.state.targets.values()].map((t) => t.decision);
        return decisions.every((d) => d?.reasons.some((r) => r.rule === 'peer-failover' && r.detail.startsWith('peer cluster eu-a lost')))
          ? Date.now()
          : undefined;
      },
      (STALE_AFTER_S + 20) * 1000,
      100,
    );
    const elapsedS = (raisedAt - lostAt) / 1000;
    // The bound: the staleness bound, one fleet round, one tick (plus the last scrape's second and query latency).
    expect(elapsedS).toBeLessThanOrEqual(STALE_AFTER_S + FLEET_INTERVAL_S + TICK_S + 2);
    const api = b.state.targets.get('api')!.decision!;
    console.log(
      `fleet failover: floors raised ${elapsedS.toFixed(1)} s after cluster eu-a stopped (staleness bound ${STALE_AFTER_S} s, fleet round ${FLEET_INTERVAL_S} s, tick ${TICK_S} s); ` +
        `api ${before.get('api')} → ${api.desiredReplicas}: ${api.reasons.find((r) => r.rule === 'peer-failover')!.detail}`,
    );
    for (const t of b.state.targets.values()) {
      const d = t.decision!;
      const floor = d.reasons.find((r) => r.rule === 'peer-failover')!;
      const demand = d.reasons.find((r) => r.rule === 'reactive')!;
      expect({ target: t.config.id, protected: d.protections.includes('peer_failover') }).toEqual({ target: t.config.id, protected: true });
      // Two equal clusters: the survivor's floor is what twice its pre-loss load needs (capped by maxReplicas).
      expect(floor.replicas).toBeGreaterThan(Math.min(demand.replicas, t.config.maxReplicas - 1));
      expect(d.desiredReplicas).toBeGreaterThanOrEqual(floor.replicas);
      expect(d.desiredReplicas).toBeGreaterThan(before.get(t.config.id)! - 1);
    }
    expect(b.state.fleet!.peers[0]).toMatchObject({ cluster: 'eu-a', health: 'lost' });
    const page = await waitFor(
      'the peer-cluster-lost page',
      async () =>
        pagerDuty!
          .accepted()
          .map((r) => JSON.parse(r.body) as { event_action: string; dedup_key: string; routing_key: string; payload: { summary: string; class: string } })
          .find((e) => e.payload?.class === 'peer-cluster-lost'),
      10_000,
    );
    expect(page).toMatchObject({ event_action: 'trigger', routing_key: ROUTING_KEY, dedup_key: 'wedsync/eu-b/peer-cluster-lost/eu-a' });
    expect(page.payload.summary).toMatch(/^\[eu-b\] peer cluster eu-a lost/);

    // 3. The central Prometheus goes away: missing data, so eu-b holds — no release, no scale-down.
    const central$ = processes.find((p) => p.name === 'prometheus-central')!;
    await central$.stop();
    await waitFor(
      'eu-b to hold on the missing fleet data',
      async () => ([...b.state.targets.values()].every((t) => t.decision?.protections.includes('fleet_data_missing')) ? true : undefined),
      10_000,
    );
    const replicas = () => new Map([...b.state.targets.values()].map((t) => [t.config.id, t.workload!.replicas]));
    let previous = replicas();
    const held = new Map([...b.state.targets.values()].map((t) => [t.config.id, t.decision!.reasons.find((r) => r.rule === 'peer-failover')!.replicas]));
    const until = Date.now() + 6000;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 250));
      const now = replicas();
      for (const t of b.state.targets.values()) {
        const d = t.decision!;
        expect({ target: t.config.id, scaledDown: now.get(t.config.id)! < previous.get(t.config.id)! }).toEqual({ target: t.config.id, scaledDown: false });
        expect({ target: t.config.id, down: d.desiredReplicas < d.currentReplicas }).toEqual({ target: t.config.id, down: false });
        expect(d.protections).toEqual(expect.arrayContaining(['peer_failover', 'fleet_data_missing']));
        expect(d.reasons.find((r) => r.rule === 'peer-failover')).toMatchObject({
          replicas: held.get(t.config.id),
          detail: expect.stringMatching(/^peer cluster eu-a lost; fleet data missing/),
        });
      }
      previous = now;
    }
    expect(b.state.fleet!.peers[0].health).toBe('lost');
    // No resolve went out on the store's outage: the peer is still lost as far as anyone knows.
    expect(
      pagerDuty
        .accepted()
        .map((r) => JSON.parse(r.body) as { event_action: string })
        .filter((e) => e.event_action === 'resolve'),
    ).toEqual([]);

    // 4. The store and cluster eu-a come back: the floor is released gradually, not at once; the page resolves.
    processes.push(
      startProcess(
        'prometheus-central-2',
        prometheusBin,
        prometheusArgs(join(dir, 'central.yml'), join(dir, 'central'), centralPort, ['--web.enable-remote-write-receiver']),
      ),
    );
    const a2 = agentFor('eu-a', 'eks', 'eu-west-1', 'eu-b');
    agents.push(a2);
    const addrA2 = await a2.start();
    processes.push(
      startProcess(
        'prometheus-eu-a-2',
        prometheusBin,
        prometheusArgs(clusterPrometheusConfig(dir, 'eu-a', addrA2.port, centralPort), join(dir, 'eu-a-2'), await freePort()),
      ),
    );
    const releasing = await waitFor(
      'eu-b to start releasing the floor',
      async () => {
        const d = b.state.targets.get('api')!.decision!;
        return d.reasons.find((r) => r.rule === 'peer-failover' && r.detail.startsWith('peer cluster eu-a back: releasing')) ? d : undefined;
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\nfleet b: ${JSON.stringify(b.state.fleet)}\n${diagnostics()}`);
    });
    expect(b.state.fleet!.peers[0].health).toBe('up');
    // Gradual: the first released floor is within a pod or two of what was held (fleet.releaseSeconds is 30 real seconds here).
    expect(releasing.reasons.find((r) => r.rule === 'peer-failover')!.replicas).toBeGreaterThanOrEqual(held.get('api')! - 2);
    expect(releasing.protections).toContain('peer_failover');
    const resolve = await waitFor(
      'the page to resolve',
      async () =>
        pagerDuty!
          .accepted()
          .map((r) => JSON.parse(r.body) as { event_action: string; dedup_key: string })
          .find((e) => e.event_action === 'resolve'),
      10_000,
    );
    expect(resolve.dedup_key).toBe('wedsync/eu-b/peer-cluster-lost/eu-a');
  });
});
