/**
 * The deploy freeze enforced by a real kube-apiserver (issue 21, group 5): the admission overlay's
 * ValidatingAdmissionPolicy, binding, parameter ConfigMap and RBAC as shipped (moved into this file's
 * namespaces, test/support/freeze-overlay.ts), the built agent as a real process (`wedsync-agent run`
 * with a kubeconfig holding a ServiceAccount token bound only to the shipped Roles) keeping the
 * parameter, a CI deployer (its own ServiceAccount, allowed to edit Deployments in the targets'
 * namespace) trying to deploy, PagerDuty as a local HTTPS stand-in that records what the agent sends,
 * and real Prometheus scraping the agent with the shipped alert rules.
 *
 * The freeze is a real-clock one: a wedding live now, every weekday protected. The demo's Saturday clock
 * is simulated time, which the API server's stamps cannot be compared with, and no operator override
 * freezes deploys (the `freeze` override holds replicas, not deploys); the calendar and `wedding.protectedWeekdays`
 * are how an operator forces one. WedSyncFreezeUnenforced is the shipped rule files evaluated by real
 * Prometheus scraping the agent, `for: 1m` included: the alert is seen firing, not just its metric.
 * The agent's environment (the PagerDuty key) is passed to its process explicitly: a test file's
 * `process.env` is Jest's copy, which a child never sees (why this test's agent once never started).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from './support/alerting-tools';
import { freePort, startProcess, type RunningProcess } from './support/alerting-processes';
import { AgentProcess } from './support/real-cluster-agent';
import { prometheusConfigForTest } from './support/alerting-config';
import { freezeOverlayObjects } from './support/freeze-overlay';
import {
  auditEvents,
  CLUSTER_START_TIMEOUT_MS,
  createNamespace,
  deleteNamespaces,
  realCluster,
  serviceAccountToken,
  waitFor,
  writeKubeconfig,
  type KubeClient,
  type RealCluster,
} from './support/real-cluster';
import { selfSignedCert, startCaptureServer, type CaptureServer } from './sinks-capture';

const BREAK = 'wedsync.io/emergency-change';
const WEDDING = { id: 'w-now', title: 'Noor & Sam', guests: 180 };
const FAR_FUTURE = '2099-01-01T00:00:00Z';

let cluster: RealCluster;
let agentNs: string;
let targetNs: string;
let deployer: KubeClient;
let agent: AgentProcess | null = null;
let prometheus: RunningProcess | null = null;
let pd: CaptureServer;
let agentPort: number;
let promPort: number;
let dir: string;
let image = 1;
let policyName: string;

const deployPath = () => `/apis/apps/v1/namespaces/${targetNs}/deployments/api`;
const paramPath = () => `/api/v1/namespaces/${agentNs}/configmaps/wedsync-deploy-freeze`;
const nextImage = () => `registry.example/api:1.${image++}`;
const templateWithImage = (img: string) => ({ spec: { template: { spec: { containers: [{ name: 'api', image: img }] } } } });

/** A merge patch of the pod template's image, as `kubectl set image` / a CI deploy makes it. */
function deploy(client: KubeClient, opts: { fieldManager?: string; annotations?: Record<string, string> } = {}) {
  const query = opts.fieldManager === undefined ? '?fieldManager=ci-deployer' : opts.fieldManager ? `?fieldManager=${opts.fieldManager}` : '';
  const body = { ...templateWithImage(nextImage()), ...(opts.annotations ? { metadata: { annotations: opts.annotations } } : {}) };
  return client.request('PATCH', deployPath() + query, body, 'application/merge-patch+json');
}

/** A PUT without resourceVersion (unconditional, as Deployments allow): a status write in between is no 409. */
function put(client: KubeClient, obj: { metadata: { resourceVersion?: string } }) {
  delete obj.metadata.resourceVersion;
  return client.request('PUT', `${deployPath()}?fieldManager=ci-deployer`, obj);
}

beforeAll(async () => {
  cluster = await realCluster();
  agentNs = await createNamespace(cluster, 'freeze-agent');
  targetNs = await createNamespace(cluster, 'freeze-weddings');
  const { objects, policyName: name } = freezeOverlayObjects(agentNs, targetNs);
  policyName = name;
  await cluster.admin.apply(objects);
  // The workload under freeze, and a CI deployer allowed to edit Deployments (and ConfigMaps) in its namespace.
  await cluster.admin.apply([
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: targetNs },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'api' } },
        template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'registry.example/api:1.0' }] } },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deployer', namespace: targetNs } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'deployer', namespace: targetNs },
      rules: [
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'] },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'create', 'update', 'patch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'deployer', namespace: targetNs },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' },
      subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: targetNs }],
    },
  ] as never);
  deployer = cluster.admin.as(await serviceAccountToken(cluster, targetNs, 'deployer'));

  dir = mkdtempSync(join(tmpdir(), 'wedsync-real-freeze-'));
  const tls = selfSignedCert();
  writeFileSync(join(dir, 'pagerduty-ca.pem'), tls.cert);
  pd = await startCaptureServer({ tls, respond: () => ({ status: 202, body: '{"status":"success"}' }) });
  // A wedding live now (started half an hour ago, UTC), every weekday protected: a deploy freeze now.
  const start = new Date(Date.now() - 30 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  writeFileSync(join(dir, 'weddings.json'), JSON.stringify({ weddings: [{ ...WEDDING, start, timezone: 'UTC', days: 1, tradition: 'british', vendors: 5 }] }));
  const kubeconfig = writeKubeconfig(cluster, join(dir, 'kubeconfig.json'), await serviceAccountToken(cluster, agentNs, 'wedsync-agent'), 'wedsync-agent');
  agent = await AgentProcess.start({
    identity: 'freeze-agent',
    kubeconfig,
    // The PagerDuty key comes from the environment, never the file (the config refuses an inline key).
    env: { NODE_EXTRA_CA_CERTS: join(dir, 'pagerduty-ca.pem'), PD_ROUTING_KEY: 'test-routing-key' },
    config: (port) =>
      [
        `agent: { cluster: demo, mode: shadow, tickSeconds: 2, listen: { host: 127.0.0.1, port: ${port} }, logLevel: info }`,
        'sources: { sim: { type: simulator, baseLoad: 100, noise: 0 } }',
        `calendar: { sources: [{ format: json, location: ${join(dir, 'weddings.json')} }] }`,
        'wedding: { protectedWeekdays: [1, 2, 3, 4, 5, 6, 7] }',
        'forecast: { backfillHours: 0 }',
        `kubernetes: { connection: kubeconfig, kubeconfig: ${kubeconfig}, identity: freeze-agent, leaseNamespace: ${agentNs}, deployFreeze: { configMap: wedsync-deploy-freeze, namespace: ${agentNs}, heartbeatSeconds: 30 } }`,
        `sinks: [{ type: pagerduty, routingKey: "\${PD_ROUTING_KEY}", server: "${pd.hostPort}" }]`,
        'targets:',
        `  - { id: api, kubernetes: { namespace: ${targetNs}, name: api }, load: { source: sim, query: api }, capacityPerPod: 50, maxReplicas: 10, weddingCritical: true }`,
      ].join('\n'),
  });
  agentPort = agent.port;
  // Real Prometheus with the shipped rules, scraping the agent from the start (its first scrape takes a few seconds).
  promPort = await freePort();
  prometheus = startProcess('prometheus', requireTool('prometheus'), [
    `--config.file=${prometheusConfigForTest(dir, agentPort, await freePort())}`,
    `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);
}, CLUSTER_START_TIMEOUT_MS);

afterAll(async () => {
  await agent?.stop('SIGKILL');
  await prometheus?.stop();
  await pd?.close();
  if (!cluster) return;
  await deleteNamespaces(cluster, [agentNs, targetNs]);
  await cluster.admin.request('DELETE', `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/${policyName}`);
  await cluster.admin.request('DELETE', `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies/${policyName}`);
});

describe('deploy freeze on a real kube-apiserver (shipped admission overlay, built agent process, PagerDuty stand-in, real Prometheus)', () => {
  test("real server: the agent's leader writes the parameter (heartbeat, the frozen target and its wedding)", async () => {
    const data = await waitFor(
      'the agent to write the freeze parameter',
      async () => {
        const cm = await cluster.admin.get(paramPath());
        return cm.data?.[`frozen.Deployment.${targetNs}.api`] ? cm.data : undefined;
      },
      40_000,
    ).catch(async (err: Error) => {
      // What the agent says of itself, for the failure message: its log, readiness and the parameter as it stands.
      const readyz = await fetch(`http://127.0.0.1:${agentPort}/readyz`).then(
        (r) => r.text(),
        (e: Error) => e.message,
      );
      const cm = await cluster.admin.get(paramPath()).catch((e: Error) => e.message);
      throw new Error(`${err.message}\nreadyz: ${readyz}\nparameter: ${JSON.stringify(cm)}\n--- agent output ---\n${agent?.output.slice(-6000)}`);
    });
    expect(data[`frozen.Deployment.${targetNs}.api`]).toMatch(/api: 1 wedding\(s\) live on a protected day until .*Noor & Sam \(w-now/);
    expect(Date.parse(data.expiresAt)).toBeGreaterThan(Date.now());
  });

  test('real server: a pod-template change by the deployer is denied, naming the wedding; a replica change passes', async () => {
    // A new policy is enforced shortly after it is created: poll until the first deploy is refused.
    const refused = await waitFor(
      'the policy to refuse a deploy',
      async () => {
        const r = await deploy(deployer);
        return r.status === 200 ? undefined : r;
      },
      30_000,
    );
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/WedSync deploy freeze: api: 1 wedding\(s\) live .*Noor & Sam .*wedsync\.io\/emergency-change: "<reason>"/);
    expect(
      (await deployer.request('PATCH', `${deployPath()}?fieldManager=ci-deployer`, { spec: { replicas: 2 } }, 'application/merge-patch+json')).status,
    ).toBe(200);
  });

  test('real server: managedFields a client writes itself are kept by the server, yet do not switch the freeze off', async () => {
    const forged = {
      manager: 'helpful-tool',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: FAR_FUTURE,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    };
    // The premise: a harmless change (a label) carrying a hand-dated entry is stored with that entry.
    const live = await deployer.get(deployPath());
    live.metadata.labels = { ...live.metadata.labels, forged: 'yes' };
    live.metadata.managedFields.push(forged);
    expect((await put(deployer, live)).status).toBe(200);
    const stored = await deployer.get(deployPath());
    expect(stored.metadata.managedFields).toEqual(expect.arrayContaining([expect.objectContaining({ manager: 'helpful-tool', time: FAR_FUTURE })]));

    // A deploy carrying another manager's entry dated after the heartbeat (the entry the policy used to trust).
    const withOther = await deployer.get(deployPath());
    Object.assign(withOther.spec.template.spec.containers[0], { image: nextImage() });
    withOther.metadata.managedFields.push({ ...forged, manager: 'another-tool' });
    const r1 = await put(deployer, withOther);
    expect({ status: r1.status, message: r1.body.message }).toMatchObject({ status: 403, message: expect.stringMatching(/^.*WedSync deploy freeze/) });

    // A deploy carrying the deployer's own manager, hand-dated (as an Apply entry), beside the stamp the server puts on this change.
    const withOwn = await deployer.get(deployPath());
    Object.assign(withOwn.spec.template.spec.containers[0], { image: nextImage() });
    withOwn.metadata.managedFields.push({ ...forged, manager: 'ci-deployer', operation: 'Apply' });
    const r2 = await put(deployer, withOwn);
    expect({ status: r2.status, message: r2.body.message }).toMatchObject({ status: 403, message: expect.stringMatching(/WedSync deploy freeze/) });

    // The server's own stamp: the deployer's entry for this change, dated by the server and not by the client.
    const own = withOwn.metadata.managedFields.find((m: { manager: string; operation: string }) => m.manager === 'ci-deployer' && m.operation === 'Update');
    own.time = FAR_FUTURE;
    const r3 = await put(deployer, withOwn);
    expect(r3.status).toBe(403);
  });

  test("real server: the parameter ConfigMap is out of the deployer's reach, and one of the same name in its own namespace changes nothing", async () => {
    const cm = await cluster.admin.get(paramPath());
    const wipe = await deployer.request('PUT', paramPath(), { ...cm, data: {} });
    expect(wipe.status).toBe(403);
    await deployer.expect(201, 'POST', `/api/v1/namespaces/${targetNs}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'wedsync-deploy-freeze' },
      data: {},
    });
    expect((await deploy(deployer)).status).toBe(403);
  });

  test('real server: deleting the frozen Deployment and creating it anew with the new image is refused too', async () => {
    const live = await deployer.get(deployPath());
    const fresh = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: targetNs, labels: live.metadata.labels },
      spec: { ...live.spec, template: { ...live.spec.template, spec: { ...live.spec.template.spec, containers: [{ name: 'api', image: nextImage() }] } } },
    };
    const del = await deployer.request('DELETE', deployPath());
    expect(del.status).toBe(200);
    await waitFor('the Deployment to be gone', async () => ((await deployer.request('GET', deployPath())).status === 404 ? true : undefined), 30_000);
    const created = await deployer.request('POST', `/apis/apps/v1/namespaces/${targetNs}/deployments?fieldManager=ci-deployer`, fresh);
    expect({ status: created.status, message: created.body.message }).toMatchObject({ status: 403, message: expect.stringMatching(/WedSync deploy freeze/) });
    // Put it back as it was (the admin breaks glass: recreating a deleted workload is an emergency).
    await cluster.admin.expect(201, 'POST', `/apis/apps/v1/namespaces/${targetNs}/deployments?fieldManager=ci-deployer`, {
      ...fresh,
      metadata: { ...fresh.metadata, annotations: { [BREAK]: 'TEST-1: restore the deleted api Deployment' } },
    });
  });

  test('real server: break glass with a reason is admitted, audited (agent audit, Kubernetes Event, API server audit log) and paged (PagerDuty stand-in)', async () => {
    const reason = 'INC-4711: payment provider outage';
    const r = await deploy(deployer, { annotations: { [BREAK]: reason } });
    expect(r.status).toBe(200);
    const generation = r.body.metadata.generation as number;

    const audit = await waitFor(
      'the agent to audit the break glass',
      async () => {
        const res = await fetch(`http://127.0.0.1:${agentPort}/api/v1/audit`, { headers: { authorization: `Bearer ${agent!.operatorToken}` } });
        const body = (await res.json()) as
          { entries?: Array<{ action: string; detail: { reason: string } }> } | Array<{ action: string; detail: { reason: string } }>;
        const entries = Array.isArray(body) ? body : (body.entries ?? []);
        return entries.find((e) => e.action === 'break-glass' && e.detail.reason === reason);
      },
      30_000,
    );
    expect(audit).toMatchObject({ action: 'break-glass', detail: { reason, duringFreeze: true, weddings: [WEDDING.id] } });

    // The Event follows the audit entry (the leader writes it after recording the change): wait for it too.
    const event = await waitFor(
      'the WedSyncBreakGlass Event',
      async () => {
        const events = (await cluster.admin.get(`/api/v1/namespaces/${targetNs}/events`)) as {
          items: Array<{ reason: string; message: string; type: string }>;
        };
        return events.items.find((e) => e.reason === 'WedSyncBreakGlass' && e.message.includes(reason));
      },
      15_000,
    );
    expect(event).toMatchObject({
      type: 'Warning',
      message: expect.stringMatching(/ci-deployer changed Deployment .*during the deploy freeze \(weddings live: w-now\)/),
    });

    // The API server's audit log carries the policy's audit annotation for this change.
    const logged = await waitFor(
      'the API server audit log to carry the break glass',
      async () =>
        auditEvents(
          cluster,
          (e) => e.stage === 'ResponseComplete' && e.objectRef?.namespace === targetNs && e.objectRef?.name === 'api' && e.verb === 'patch',
        ).find((e) => Object.entries(e.annotations ?? {}).some(([k, v]) => k.endsWith('/break-glass') && v.includes(reason))),
      10_000,
    );
    expect(logged.user.username).toBe(`system:serviceaccount:${targetNs}:deployer`);

    type PdEvent = { event_action: string; dedup_key: string; payload: { summary: string } };
    const trigger = await waitFor(
      'PagerDuty to be paged',
      async () =>
        pd
          .accepted()
          .map((q) => JSON.parse(q.body) as PdEvent)
          .find((e) => e.event_action === 'trigger' && e.dedup_key.includes('break-glass-during-freeze')),
      30_000,
    );
    expect(trigger.dedup_key).toContain(`api/generation-${generation}`);
    expect(trigger.payload.summary).toContain(reason);
  });

  test('real server: the annotation a client writes itself opens no deploy unless it is a new reason, and what the policy lets through the agent audits', async () => {
    const live = (await deployer.get(deployPath())).metadata.annotations[BREAK] as string;
    // The reason left from the last emergency does not open the next deploy.
    const replay = await deploy(deployer, { annotations: { [BREAK]: live } });
    expect({ status: replay.status, message: replay.body.message }).toMatchObject({ status: 403, message: expect.stringMatching(/WedSync deploy freeze/) });
    // A reason of blanks is refused outright.
    const blank = await deploy(deployer, { annotations: { [BREAK]: '   ' } });
    expect({ status: blank.status, message: blank.body.message }).toMatchObject({ status: 422, message: expect.stringMatching(/needs a reason/) });
    // The old reason with a trailing blank is a new value to the policy: admitted as break glass, so the agent must record it too.
    const tweaked = `${live} `;
    const again = await deploy(deployer, { annotations: { [BREAK]: tweaked } });
    expect(again.status).toBe(200);
    const audited = await waitFor(
      'the agent to audit the second break glass',
      async () => {
        const res = await fetch(`http://127.0.0.1:${agentPort}/api/v1/audit`, { headers: { authorization: `Bearer ${agent!.operatorToken}` } });
        const body = (await res.json()) as
          | { entries?: Array<{ action: string; detail: { reason: string; generation: number } }> }
          | Array<{ action: string; detail: { reason: string; generation: number } }>;
        const entries = Array.isArray(body) ? body : (body.entries ?? []);
        return entries.find((e) => e.action === 'break-glass' && e.detail.generation === again.body.metadata.generation);
      },
      15_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${agent?.output.slice(-3000)}`);
    });
    expect(audited.detail.reason.trim()).toBe(live.trim());
  });

  test('real server: after the agent dies the heartbeat expires, deploys pass again, and WedSyncFreezeUnenforced fires (real Prometheus)', async () => {
    const query = async (q: string) =>
      ((await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as { data: { result: unknown[] } }).data.result;
    await waitFor(
      'Prometheus to scrape the freeze from the agent',
      async () => ((await query('wedsync_agent_deploy_freeze_until_timestamp_seconds > time()')).length ? true : undefined),
      60_000,
    );

    await agent!.stop('SIGKILL');
    // Killed, not stopped: nothing emptied the parameter; only its heartbeat can run out.
    const left = (await cluster.admin.get(paramPath())).data as Record<string, string>;
    expect(left[`frozen.Deployment.${targetNs}.api`]).toBeDefined();
    const expiresAt = Date.parse(left.expiresAt);
    // Before expiry the freeze holds though nobody keeps it (the leader renews at half the 30 s heartbeat)...
    expect(expiresAt - Date.now()).toBeGreaterThan(2000);
    expect((await deploy(deployer)).status).toBe(403);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now() + 1500)));
    // ...after it, a deploy that names its field manager passes (the API server's own stamp is past the heartbeat).
    expect((await deploy(deployer)).status).toBe(200);

    const alert = await waitFor(
      'WedSyncFreezeUnenforced to fire',
      async () => {
        const body = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/alerts`)).json()) as {
          data: { alerts: Array<{ labels: { alertname: string }; state: string }> };
        };
        return body.data.alerts.find((a) => a.labels.alertname === 'WedSyncFreezeUnenforced' && a.state === 'firing');
      },
      150_000,
      1000,
    );
    expect(alert.labels).toMatchObject({ alertname: 'WedSyncFreezeUnenforced', severity: 'critical' });
  }, 240_000);
});
