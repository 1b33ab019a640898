/**
 * One truth for paging, end to end, with BOTH paging paths on: exactly one PagerDuty incident per fault
 * and one resolve per recovery.
 *
 * Real servers: the agent (in process, mode act, real clock), a real Prometheus (Debian `prometheus`)
 * scraping it every second with the shipped rule files, a real Alertmanager (Debian
 * `prometheus-alertmanager`) with the shipped alertmanager.yml, and a second real Prometheus as the
 * agent's load source (scraping a tiny exporter whose value the test sets; killed for fault 2).
 * Stand-ins: the Kubernetes API (test/support/kube-api-standin.ts, through the real
 * @kubernetes/client-node; answers 403 to the scale write for fault 3), PagerDuty's Events API twice —
 * HTTPS for the agent's own sink (real @pagerduty/pdjs) and HTTP for Alertmanager — both recording
 * every event.
 *
 * Shortened for speed, nothing else changed: the agent's `paging` durations (1 s), its sink's hand-off
 * (2 s, requests 1 s), the paging rules' `for` (the shipped 2m → 5s, written to a temp copy of the
 * shipped rules file; the shipped value is checked below), Alertmanager's group timings (1 s).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { Agent } from '../agent/src/app/agent';
import { parseConfig } from '../agent/src/app/config-load';
import { METRIC } from '../agent/src/metrics/names';
import { PAGE_DEFINITIONS } from '../agent/src/paging/definitions';
import { createKubeApi, makeKubeConfig, type KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import { metricValue } from '../agent/src/sinks/__fixtures__/sink-test-helpers';
import { silentLogger } from '../agent/src/util/logger';
import { alertmanagerArgs, alertmanagerConfigForTest, prometheusConfigForTest } from './support/alerting-config';
import { RULES_DIR } from './support/alerting-metrics';
import { startPagerDutyStandIn, type PagerDutyEvent, type PagerDutyStandIn } from './support/alerting-pagerduty-standin';
import { freePort, startProcess, waitFor, type RunningProcess } from './support/alerting-processes';
import { requireTool } from './support/alerting-tools';
import { KubeApiStandIn } from './support/kube-api-standin';
import { deployment, DEPLOY_PATH } from './support/kube-objects';
import { selfSignedCert, startCaptureServer, type CaptureServer } from './sinks-capture';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
const k8s: KubernetesClientModule = require('@kubernetes/client-node');

const CLUSTER = 'demo'; // the scrape label prometheusConfigForTest sets, and the agent's own cluster name
const TEST_FOR = '5s';
/** After the first page of a fault, how long the other path gets to page too (and must not): for + eval + group_wait + slack. */
const OTHER_PATH_WINDOW_MS = 10_000;
/** After a resolve, how long anything else gets to arrive (and must not). */
const AFTER_RESOLVE_MS = 5_000;

interface Seen extends PagerDutyEvent {
  path: 'agent-sink' | 'alertmanager';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shipped alert rules with the paging group's `for` shortened; everything else as shipped. */
function rulesForTest(dir: string): string[] {
  const shipped = parse(readFileSync(join(RULES_DIR, 'wedsync-alerts.rules.yml'), 'utf8')) as {
    groups: { name: string; rules: { alert?: string; for?: string }[] }[];
  };
  const paging = shipped.groups.find((g) => g.name === 'wedsync-paging')!;
  expect(paging.rules.map((r) => [r.alert, r.for]).sort()).toEqual(
    Object.values(PAGE_DEFINITIONS)
      .map((d) => [d.alert, '2m'])
      .sort(),
  );
  for (const r of paging.rules) r.for = TEST_FOR;
  const file = join(dir, 'wedsync-alerts.rules.yml');
  writeFileSync(file, stringify(shipped));
  return [join(RULES_DIR, 'wedsync-recording.rules.yml'), file];
}

/** A Prometheus exposition endpoint with one gauge the test sets: what the load Prometheus scrapes. */
async function startLoadExporter(): Promise<{ port: number; set(v: number): void; close(): Promise<void> }> {
  let load = 10;
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`# TYPE wedsync_e2e_load gauge\nwedsync_e2e_load ${load}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    set: (v) => (load = v),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function promQuery(port: number, query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`query ${query}: ${JSON.stringify(body)}`);
  return body.data.result;
}

describe('one truth for paging: agent sink + real Prometheus/Alertmanager both on, PagerDuty and Kubernetes stand-ins', () => {
  const processes: RunningProcess[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  let dir = '';

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('three faults and a PagerDuty outage of the agent: each exactly one incident, one resolve', async () => {
    const prometheusBin = requireTool('prometheus');
    const alertmanagerBin = requireTool('prometheus-alertmanager');
    dir = mkdtempSync(join(tmpdir(), 'wedsync-e2e-paging-'));

    // PagerDuty: HTTPS for pdjs (the agent's sink), HTTP for Alertmanager.
    const tls = selfSignedCert();
    const sinkPd: CaptureServer = await startCaptureServer({ tls, respond: () => ({ status: 202, body: '{"status":"success"}' }) });
    const tlsAgent = new HttpsAgent({ ca: tls.cert, keepAlive: false });
    const amPd: PagerDutyStandIn = await startPagerDutyStandIn();
    cleanups.push(
      () => sinkPd.close(),
      () => tlsAgent.destroy(),
      () => amPd.close(),
    );

    // Kubernetes: the target at its maximum of 4 replicas; "pods" become ready as soon as asked for.
    const kube = new KubeApiStandIn();
    await kube.start();
    kube.put(DEPLOY_PATH, deployment(4));
    const readiness = setInterval(() => {
      const d = kube.get(DEPLOY_PATH);
      if (d.status.readyReplicas !== d.spec.replicas) kube.put(DEPLOY_PATH, { ...d, status: { replicas: d.spec.replicas, readyReplicas: d.spec.replicas } });
    }, 100);
    cleanups.push(
      () => kube.stop(),
      () => clearInterval(readiness),
    );

    // The load source: a real Prometheus scraping the exporter.
    const exporter = await startLoadExporter();
    cleanups.push(() => exporter.close());
    const loadPort = await freePort();
    const loadConfig = join(dir, 'load-prometheus.yml');
    writeFileSync(
      loadConfig,
      stringify({
        global: { scrape_interval: '1s', scrape_timeout: '1s' },
        scrape_configs: [{ job_name: 'load', static_configs: [{ targets: [`127.0.0.1:${exporter.port}`] }] }],
      }),
    );
    const startLoadPrometheus = () => {
      const p = startProcess('load-prometheus', prometheusBin, [
        `--config.file=${loadConfig}`,
        `--storage.tsdb.path=${join(dir, 'load-data')}`,
        `--web.listen-address=127.0.0.1:${loadPort}`,
      ]);
      processes.push(p);
      return p;
    };
    let loadPrometheus = startLoadPrometheus();
    // Start the agent once its load source has a value: an empty answer for longer than 1 s is a page.
    await waitFor(
      'the load Prometheus to scrape the exporter',
      async () => ((await promQuery(loadPort, 'sum(wedsync_e2e_load)')).length ? true : undefined),
      30_000,
    );

    // The agent: a wedding live now (started an hour ago), so it is a wedding day; the target is wedding-critical.
    writeFileSync(
      join(dir, 'weddings.json'),
      JSON.stringify({ weddings: [{ id: 'w1', title: 'Asha & Tom', start: new Date(Date.now() - 3_600_000).toISOString(), timezone: 'UTC', guests: 150 }] }),
    );
    const yaml = stringify({
      agent: { cluster: CLUSTER, mode: 'act', tickSeconds: 1, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' },
      sources: { load: { type: 'prometheus', url: `http://127.0.0.1:${loadPort}`, timeoutSeconds: 1, staleAfterSeconds: 3 } },
      kubernetes: { connection: 'in-cluster' },
      calendar: { sources: [{ format: 'json', location: 'weddings.json' }] },
      forecast: { backfillHours: 0 },
      paging: { overloadedAfterSeconds: 1, scaleBlockedAfterSeconds: 1, unreachableAfterSeconds: 1 },
      targets: [
        {
          id: 'shop-api',
          kubernetes: { namespace: 'shop', name: 'shop-api' },
          load: { source: 'load', query: 'sum(wedsync_e2e_load)' },
          capacityPerPod: 10,
          minReplicas: 1,
          maxReplicas: 4,
          weddingCritical: true,
        },
      ],
      sinks: [{ type: 'pagerduty', routingKey: '${PD_ROUTING_KEY}', server: sinkPd.hostPort, handOffAfterSeconds: 2, requestTimeoutSeconds: 1 }],
    });
    const config = parseConfig(yaml, join(dir, 'agent.yaml'), { PD_ROUTING_KEY: 'agent-routing-key' });
    const kubeApi = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: kube.kubeConfigOptions() }));
    const agent = new Agent(
      { config, file: join(dir, 'agent.yaml'), baseDir: dir },
      {
        logger: silentLogger,
        kubeApi,
        tickIntervalMs: 250,
        env: { POD_NAME: 'agent-0' },
        // Anomaly pages are another alert with its own tests; a tenfold load step would be one here.
        newDetector: () => ({ update: () => ({ score: 0, kind: 'none' }) }),
        sinkDeps: { pagerDutyAgent: tlsAgent },
      },
    );
    const { port: agentPort } = await agent.start();
    cleanups.push(() => agent.stop(3000));

    // Prometheus (the shipped rules, paging `for` shortened) → Alertmanager (shipped config) → PagerDuty stand-in.
    const [prometheusPort, alertmanagerPort] = [await freePort(), await freePort()];
    processes.push(
      startProcess(
        'alertmanager',
        alertmanagerBin,
        alertmanagerArgs(alertmanagerConfigForTest(dir, amPd.url), join(dir, 'alertmanager-data'), alertmanagerPort),
      ),
    );
    processes.push(
      startProcess('prometheus', prometheusBin, [
        `--config.file=${prometheusConfigForTest(dir, agentPort, alertmanagerPort, rulesForTest(dir))}`,
        `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
      ]),
    );

    /** Every event PagerDuty accepted, from either path, after the given counts of each. */
    const seen = (agentFrom = 0, amFrom = 0): Seen[] => [
      ...sinkPd
        .accepted()
        .slice(agentFrom)
        .map((r) => ({ path: 'agent-sink' as const, ...(JSON.parse(r.body) as PagerDutyEvent) })),
      ...amPd.events.slice(amFrom).map((e) => ({ path: 'alertmanager' as const, ...e })),
    ];
    const shape = (events: Seen[]) => events.map((e) => [e.path, e.event_action, e.dedup_key]);
    const shop = () => agent.state.targets.get('shop-api')!;
    const diagnostics = () =>
      `\n${processes.map((p) => p.output()).join('\n')}\nevents: ${JSON.stringify(seen(), null, 1)}\nconditions: ${JSON.stringify(agent.state.pageConditions)}\n` +
      `target: ${JSON.stringify({ observed: shop().observed, stale: shop().stale, readError: shop().lastReadError, scaleError: shop().lastScaleError, workload: shop().workload, desired: shop().decision?.desiredReplicas })}`;

    /**
     * Induces a fault, waits for its page, gives the other path time to page too (it must not), recovers,
     * waits for the resolve and a while more: exactly [trigger, resolve] with one dedup key, from one path.
     */
    const oneIncident = async (name: string, induce: () => Promise<void> | void, recover: () => Promise<void> | void, timeoutMs = 30_000): Promise<Seen[]> => {
      const [agentMark, amMark] = [sinkPd.accepted().length, amPd.events.length];
      const since = () => seen(agentMark, amMark);
      await induce();
      const trigger = await waitFor(`${name}: a trigger`, async () => since().find((e) => e.event_action === 'trigger'), timeoutMs);
      await sleep(OTHER_PATH_WINDOW_MS);
      expect({ name, events: shape(since()) }).toEqual({ name, events: [[trigger.path, 'trigger', trigger.dedup_key]] });
      await recover();
      await waitFor(`${name}: the resolve`, async () => since().find((e) => e.event_action === 'resolve'), timeoutMs);
      await sleep(AFTER_RESOLVE_MS);
      expect({ name, events: shape(since()) }).toEqual({
        name,
        events: [
          [trigger.path, 'trigger', trigger.dedup_key],
          [trigger.path, 'resolve', trigger.dedup_key],
        ],
      });
      return since();
    };

    try {
      // Ready: the agent reads load 10, Prometheus scrapes the agent, nothing holds, nobody paged.
      await waitFor('the agent to read its load', async () => (shop().observed?.value === 10 && !shop().stale ? true : undefined), 30_000);
      await waitFor(
        'Prometheus to scrape the agent',
        async () => ((await promQuery(prometheusPort, `up{job="wedsync-agent"} == 1`)).length ? true : undefined),
        30_000,
      );
      expect(agent.state.pageConditions).toEqual([]);
      expect(seen()).toEqual([]);

      // 1. Pinned at max and overloaded on a wedding day: the agent's sink pages (critical), Alertmanager stands back.
      const [pinned] = await oneIncident(
        'pinned at max, overloaded, wedding day',
        () => exporter.set(100),
        () => exporter.set(10),
      );
      expect(pinned).toMatchObject({
        path: 'agent-sink',
        dedup_key: `wedsync/${CLUSTER}/pinned-at-max-overloaded/shop-api`,
        payload: { severity: 'critical', class: 'pinned-at-max-overloaded' },
      });

      // 2. The load source unreachable (its Prometheus killed), then back.
      const [unreachable] = await oneIncident(
        'load source unreachable',
        () => loadPrometheus.stop('SIGKILL'),
        () => {
          loadPrometheus = startLoadPrometheus();
        },
        60_000,
      );
      expect(unreachable).toMatchObject({
        path: 'agent-sink',
        dedup_key: `wedsync/${CLUSTER}/load-source-unreachable/load`,
        payload: { severity: 'critical', class: 'load-source-unreachable' },
      });

      // 3. Scaling refused by RBAC: someone scaled the workload to 1; the agent's scale write gets 403.
      await waitFor('a quiet agent', async () => (agent.state.pageConditions.length === 0 && !shop().stale ? true : undefined), 30_000);
      const [refused] = await oneIncident(
        'scale write refused by RBAC',
        () => {
          kube.failNext('PATCH', /\/deployments\/shop-api\/scale$/, 403, 1_000_000);
          const d = kube.get(DEPLOY_PATH);
          kube.put(DEPLOY_PATH, { ...d, spec: { ...d.spec, replicas: 1 }, status: { replicas: 1, readyReplicas: 1 } });
          exporter.set(30);
        },
        () => {
          exporter.set(10);
          kube.clearFaults();
        },
      );
      expect(refused).toMatchObject({
        path: 'agent-sink',
        dedup_key: `wedsync/${CLUSTER}/scale-blocked/shop-api`,
        payload: { severity: 'critical', class: 'scale-blocked' },
      });
      expect(refused.payload!.summary).toMatch(/403|Forbidden/);

      // 4. The agent's sink cannot reach PagerDuty: it hands the page to Alertmanager, which pages once and resolves.
      await waitFor('a quiet agent', async () => (agent.state.pageConditions.length === 0 ? true : undefined), 30_000);
      const sinkRequestsBefore = sinkPd.requests.length;
      const [handedOff, handedOffResolve] = await oneIncident(
        'pinned at max while the agent cannot reach PagerDuty',
        async () => {
          sinkPd.respond(() => ({ status: 503, body: '{"status":"unavailable"}' }));
          exporter.set(100);
          await waitFor(
            'the sink to hand the page off',
            async () => ((await metricValue(agent.metrics.registry, METRIC.pageHandOffsTotal)) === 1 ? true : undefined),
            30_000,
          );
          // PagerDuty answers again: a late trigger or resolve from the sink would now be recorded (and fail the test).
          sinkPd.respond(() => ({ status: 202, body: '{"status":"success"}' }));
        },
        () => exporter.set(10),
      );
      expect(handedOff).toMatchObject({
        path: 'alertmanager',
        payload: { severity: 'critical', class: 'WedSyncAtMaxReplicasOverloaded', custom_details: expect.objectContaining({ wedding_day: 'true' }) },
      });
      expect(handedOffResolve).toMatchObject({ path: 'alertmanager', event_action: 'resolve', dedup_key: handedOff.dedup_key });
      expect(sinkPd.requests.slice(sinkRequestsBefore).every((r) => r.status === 503)).toBe(true);

      // Totals: four incidents, four resolves, one hand-off; the agent's counters agree with the stand-ins.
      expect(seen().filter((e) => e.event_action === 'trigger')).toHaveLength(4);
      expect(seen().filter((e) => e.event_action === 'resolve')).toHaveLength(4);
      expect(await metricValue(agent.metrics.registry, METRIC.pagesTotal, { action: 'trigger' })).toBe(3);
      expect(await metricValue(agent.metrics.registry, METRIC.pagesTotal, { action: 'resolve' })).toBe(3);
      expect(await metricValue(agent.metrics.registry, METRIC.pageHandOffsTotal)).toBe(1);
    } catch (err) {
      (err as Error).message += diagnostics();
      throw err;
    }
  }, 300_000);
});
