/**
 * agent/deploy: every manifest checked against Kubernetes' schemas offline (kubernetes-models' validators
 * generated from the Kubernetes OpenAPI spec, plus @kubernetes/client-node's generated models to reject
 * unknown fields — run in a plain Node child process, both being ESM-only), the pieces checked against
 * each other, the ConfigMap against the agent's own config schema, and the RBAC against the requests the
 * agent really makes (recorded by the Kubernetes API stand-in): everything it needs, nothing more.
 * Every kustomize overlay is rendered by the pinned kustomize (v5, built from the Go module proxy) and
 * each object it yields is validated the same way, the Prometheus Operator kinds against their CRD schemas
 * (@kubernetes-models/prometheus-operator); the PrometheusRule, AlertmanagerConfig and dashboard ConfigMaps
 * are checked against their sources (alert-rules/rules, alert-rules/alertmanager.yml, dashboards). The
 * manifests are generated from the chart: test/helm-kustomize.test.ts checks that.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../agent/src/app/config-load';
import type { Decision } from '../agent/src/plan/types';
import { ConfigMapStateBackend } from '../agent/src/durable/configmap-backend';
import { DurableStateStore } from '../agent/src/durable/durable-state-store';
import { KubernetesActuator } from '../agent/src/scale/kubernetes/actuator';
import { createKubeApi, makeKubeConfig, type KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import { AgentState } from '../agent/src/state';
import { indexCalendar } from '../agent/src/calendar/rules';
import { targetCalendar } from '../agent/src/calendar/target-calendar';
import { silentLogger } from '../agent/src/util/logger';
import { detectFromNodes } from '../agent/src/identity/node-detection';
import { Registry } from 'prom-client';
import { KubeApiStandIn, type RecordedRequest } from './support/kube-api-standin';
import { kustomize } from './support/kubectl';

const REPO = join(__dirname, '..');
const DEPLOY = join(__dirname, '../agent/deploy/base');
const CHECKER = join(__dirname, 'support/kube-manifest-check.mjs');
const manifestFiles = readdirSync(DEPLOY).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
const docs = manifestFiles.flatMap((f) => parseAllDocuments(readFileSync(join(DEPLOY, f), 'utf8')).map((d) => d.toJS())).filter(Boolean);
const find = (kind: string, name?: string) => docs.filter((d) => d.kind === kind && (name === undefined || d.metadata.name === name));

interface CheckResult {
  file: string;
  kind?: string;
  name?: string;
  errors: string[];
}
function check(files: string[]): CheckResult[] {
  return JSON.parse(execFileSync(process.execPath, [CHECKER, ...files], { encoding: 'utf8', timeout: 30_000 }));
}

describe('agent/deploy manifests', () => {
  test('every manifest passes the Kubernetes OpenAPI schemas and has no field the API does not define', () => {
    const results = check(manifestFiles.map((f) => join(DEPLOY, f)));
    expect(results.filter((r) => r.errors.length)).toEqual([]);
    expect(results.map((r) => r.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'Namespace',
      'Namespace',
      'PodDisruptionBudget',
      'Role',
      'Role',
      'RoleBinding',
      'RoleBinding',
      'Service',
      'ServiceAccount',
    ]);
  });

  test('the schema check catches wrong types, missing required fields, unknown fields and bad enums', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-manifests-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      [
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec:\n  replicas: two\n  template:\n    spec:\n      containers: [{ name: c, image: i, bogus: 1 }]',
        'apiVersion: v1\nkind: Service\nmetadata: { name: s }\nspec: { ports: [{ port: 80, protocol: SCTPX }], selectr: { a: b } }',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: r }\nrules: [{ resources: [pods] }]',
      ].join('\n---\n'),
    );
    const [deploy, service, role] = check([bad]);
    expect(deploy.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/spec\/replicas must be integer/),
        '/spec must have required property selector',
        '/spec/template/spec/containers/0/bogus is not a field of V1Container',
      ]),
    );
    expect(service.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/spec\/ports\/0\/protocol must be equal to one of the allowed values/),
        '/spec/selectr is not a field of V1ServiceSpec',
      ]),
    );
    expect(role.errors).toEqual(expect.arrayContaining([expect.stringMatching(/must have required property verbs/)]));
  });

  test('base/kustomization.yaml lists every manifest', () => {
    const k = parseAllDocuments(readFileSync(join(DEPLOY, 'kustomization.yaml'), 'utf8'))[0].toJS();
    expect([...k.resources].sort()).toEqual([...manifestFiles].sort());
  });

  test('Deployment: 2 replicas under the ServiceAccount, Lease identity from the pod name, config from the ConfigMap, probes and Service agree', () => {
    const [dep] = find('Deployment', 'wedsync-agent');
    const [sa] = find('ServiceAccount');
    const [svc] = find('Service');
    const [cm] = find('ConfigMap');
    const pod = dep.spec.template.spec;
    const c = pod.containers[0];
    expect(dep.spec.replicas).toBe(2);
    expect(pod.serviceAccountName).toBe(sa.metadata.name);
    expect(sa.metadata.namespace).toBe(dep.metadata.namespace);
    expect(c.env).toContainEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: cm.metadata.name } });
    const mount = c.volumeMounts.find((m: { name: string }) => m.name === 'config').mountPath;
    expect(c.args).toEqual(['run', '--config', `${mount}/${Object.keys(cm.data)[0]}`]);
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    expect(dep.spec.template.metadata.labels).toMatchObject(dep.spec.selector.matchLabels);
    expect(c.ports.map((p: { name: string }) => p.name)).toContain(svc.spec.ports[0].targetPort);
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
  });

  test("the ConfigMap's config passes the agent's schema and matches the Deployment (listen port, in-cluster, Lease namespace)", () => {
    const [cm] = find('ConfigMap');
    const config = parseConfig(cm.data['agent.yaml'], 'configmap.yaml', { CALENDAR_TOKEN: 'from-a-secret' });
    const [dep] = find('Deployment');
    expect(config.kubernetes.connection).toBe('in-cluster');
    expect(config.kubernetes.leaseNamespace).toBe(dep.metadata.namespace);
    expect(config.agent.listen).toEqual({ host: '0.0.0.0', port: dep.spec.template.spec.containers[0].ports[0].containerPort });
    expect(config.targets.length).toBeGreaterThan(0);
  });
});

// ---- kustomize overlays, rendered by Debian's kubectl -------------------------------------------------

const BASE_KINDS = [
  'ConfigMap',
  'Deployment',
  'Namespace',
  'Namespace',
  'PodDisruptionBudget',
  'Role',
  'Role',
  'RoleBinding',
  'RoleBinding',
  'Service',
  'ServiceAccount',
];
const DASHBOARD_MAPS = ['ConfigMap', 'ConfigMap', 'ConfigMap', 'ConfigMap'];
const OPERATOR_KINDS = ['AlertmanagerConfig', 'PrometheusRule', 'ServiceMonitor'];
const OVERLAYS: Record<string, string[]> = {
  'agent/deploy': BASE_KINDS,
  'agent/deploy/overlays/act': BASE_KINDS,
  'agent/deploy/overlays/prometheus-operator': [...BASE_KINDS, ...OPERATOR_KINDS],
  'agent/deploy/overlays/grafana': [...BASE_KINDS, ...DASHBOARD_MAPS],
  'agent/deploy/overlays/kube-prometheus-stack': [...BASE_KINDS, ...DASHBOARD_MAPS, ...OPERATOR_KINDS],
  'agent/deploy/overlays/node-identity': [...BASE_KINDS, 'ClusterRole', 'ClusterRoleBinding'],
  'agent/deploy/overlays/admission': [...BASE_KINDS, 'ConfigMap', 'Role', 'RoleBinding', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
};
type Obj = any;
const rendered = new Map<string, { file: string; objects: Obj[] }>();
function render(overlay: string): { file: string; objects: Obj[] } {
  if (!rendered.has(overlay)) {
    const text = kustomize(join(REPO, overlay));
    const file = join(mkdtempSync(join(tmpdir(), 'wedsync-kustomize-')), 'rendered.yaml');
    writeFileSync(file, text);
    rendered.set(overlay, {
      file,
      objects: parseAllDocuments(text)
        .map((d) => d.toJS())
        .filter(Boolean),
    });
  }
  return rendered.get(overlay)!;
}
const one = (objects: Obj[], kind: string, name?: string): Obj => {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0];
};
const ruleGroups = (): unknown[] =>
  readdirSync(join(REPO, 'alert-rules/rules'))
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(REPO, 'alert-rules/rules', f), 'utf8'))[0].toJS().groups);

describe('kustomize overlays (the pinned kustomize v5)', () => {
  // One checker process for every overlay: loading the schema libraries is most of its cost.
  let checked: CheckResult[] = [];
  beforeAll(() => {
    checked = check(Object.keys(OVERLAYS).map((o) => render(o).file));
  }, 120_000);

  test.each(Object.entries(OVERLAYS))('%s renders, and every object passes its schema (Kubernetes OpenAPI, Prometheus Operator CRDs)', (overlay, kinds) => {
    const { file } = render(overlay);
    const results = checked.filter((r) => r.file === file);
    expect(results.filter((r) => r.errors.length)).toEqual([]);
    expect(results.map((r) => r.kind).sort()).toEqual([...kinds].sort());
  });

  test('the CRD check catches a ServiceMonitor and a PrometheusRule of the wrong shape', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'wedsync-crd-')), 'bad.yaml');
    writeFileSync(
      bad,
      [
        'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: m }\nspec: { selector: {}, endpoints: [{ port: 8080 }] }',
        'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: { name: r }\nspec: { groups: [{ rules: [] }] }',
      ].join('\n---\n'),
    );
    const [monitor, rule] = check([bad]);
    expect(monitor.errors).toEqual([expect.stringMatching(/^\/spec\/endpoints\/0\/port must be string/)]);
    expect(rule.errors).toEqual([expect.stringMatching(/^\/spec\/groups\/0 must have required property name/)]);
  });

  test('the rendered PrometheusRule holds exactly the rule groups of alert-rules/rules, the agent selected by its job and namespace, every alert labelled with the namespace', () => {
    const rule = one(render('agent/deploy/overlays/prometheus-operator').objects, 'PrometheusRule');
    const text = JSON.stringify(rule.spec.groups).replaceAll('job=\\"wedsync-agent\\",namespace=\\"wedsync\\"', 'job=\\"wedsync-agent\\"');
    const groups = JSON.parse(text).map((g: Obj) => ({
      ...g,
      rules: g.rules.map((r: Obj) => (r.alert ? { ...r, labels: (({ namespace, ...rest }) => (expect(namespace).toBe('wedsync'), rest))(r.labels) } : r)),
    }));
    expect(groups).toEqual(ruleGroups());
    expect(rule.metadata.namespace).toBe('wedsync');
  });

  test('the ServiceMonitor scrapes the Service by its labels and named port, so the job label is wedsync-agent', () => {
    const { objects } = render('agent/deploy/overlays/prometheus-operator');
    const monitor = one(objects, 'ServiceMonitor');
    const svc = one(objects, 'Service');
    expect(svc.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.spec.namespaceSelector.matchNames).toEqual([svc.metadata.namespace]);
    expect(svc.spec.ports.map((p: { name: string }) => p.name)).toContain(monitor.spec.endpoints[0].port);
    expect(svc.metadata.name).toBe('wedsync-agent'); // the job label the alert rules read
  });

  test("the grafana overlay's ConfigMaps are the dashboards, labelled for the sidecar", () => {
    const maps = render('agent/deploy/overlays/grafana').objects.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    const files = readdirSync(join(REPO, 'dashboards'))
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(maps.flatMap((m) => Object.keys(m.data)).sort()).toEqual(files);
    for (const m of maps)
      for (const [f, json] of Object.entries(m.data)) expect(JSON.parse(json as string)).toEqual(JSON.parse(readFileSync(join(REPO, 'dashboards', f), 'utf8')));
  });

  test('kube-prometheus-stack: the release label reaches the ServiceMonitor, PrometheusRule and AlertmanagerConfig, not the selectors', () => {
    const { objects } = render('agent/deploy/overlays/kube-prometheus-stack');
    for (const kind of OPERATOR_KINDS) expect(one(objects, kind).metadata.labels.release).toBe('kube-prometheus-stack');
    expect(one(objects, 'Deployment').spec.selector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'wedsync-agent',
      'app.kubernetes.io/instance': 'wedsync-agent',
    });
  });

  test("the admission overlay: the policy reads the ConfigMap the agent writes, exempts the agent's service account, and binds its targets' namespace", () => {
    const { objects } = render('agent/deploy/overlays/admission');
    const config = parseConfig(one(objects, 'ConfigMap', 'wedsync-agent-config').data['agent.yaml'], 'overlays/admission/agent.yaml', { CALENDAR_TOKEN: 'x' });
    const freeze = config.kubernetes.deployFreeze!;
    const param = one(objects, 'ConfigMap', freeze.configMap);
    const binding = one(objects, 'ValidatingAdmissionPolicyBinding');
    const policy = one(objects, 'ValidatingAdmissionPolicy');
    expect(binding.spec.policyName).toBe(policy.metadata.name);
    expect(binding.spec.paramRef).toEqual({
      name: param.metadata.name,
      namespace: freeze.namespace ?? config.kubernetes.leaseNamespace,
      parameterNotFoundAction: 'Allow',
    });
    expect(param.metadata.namespace).toBe(binding.spec.paramRef.namespace);
    expect(policy.spec.failurePolicy).toBe('Ignore');
    const [sa] = objects.filter((o: Obj) => o.kind === 'ServiceAccount');
    expect(JSON.stringify(policy.spec.variables)).toContain(`system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`);
    expect(binding.spec.matchResources.namespaceSelector.matchExpressions[0].values).toEqual([...new Set(config.targets.map((t) => t.kubernetes.namespace))]);
    const role = one(objects, 'Role', 'wedsync-agent-deploy-freeze');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], resourceNames: [param.metadata.name], verbs: ['get', 'update'] }]);
  });

  test('the base stays shadow; the act overlay acts on one target and its Role grants exactly that workload', () => {
    const env = { CALENDAR_TOKEN: 'from-a-secret' };
    const base = one(render('agent/deploy').objects, 'ConfigMap', 'wedsync-agent-config');
    expect(parseConfig(base.data['agent.yaml'], 'base', env).agent.mode).toBe('shadow');
    const { objects } = render('agent/deploy/overlays/act');
    const config = parseConfig(one(objects, 'ConfigMap', 'wedsync-agent-config').data['agent.yaml'], 'overlays/act/agent.yaml', env);
    expect(config.agent.mode).toBe('act');
    const role = one(objects, 'Role', 'wedsync-agent-scaler');
    const names = new Set((role.rules as Rule[]).flatMap((r) => r.resourceNames ?? []));
    expect([...names]).toEqual(config.targets.map((t) => t.kubernetes.name));
    expect(new Set(config.targets.map((t) => t.kubernetes.namespace))).toEqual(new Set([role.metadata.namespace]));
  });
});

// ---- RBAC against what the agent does -------------------------------------------------------------

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface Access {
  namespace: string;
  group: string;
  resource: string;
  verb: string;
  name?: string;
}

/** What RBAC sees in a request: /api/v1/namespaces/NS/RES[/NAME[/SUB]] or /apis/GROUP/VERSION/namespaces/… */
function accessOf(r: RecordedRequest): Access {
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+)(?:\/([^/]+))?)?$/.exec(r.path);
  if (!m) throw new Error(`unexpected path ${r.path}`);
  const [, group = '', namespace, res, name, sub] = m;
  const verb = { GET: name ? 'get' : 'list', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[r.method]!;
  return { namespace, group, resource: sub ? `${res}/${sub}` : res, verb, name };
}

function allows(rule: Rule, a: Access): boolean {
  return (
    rule.apiGroups.includes(a.group) &&
    rule.resources.includes(a.resource) &&
    rule.verbs.includes(a.verb) &&
    (!rule.resourceNames?.length || (a.name !== undefined && rule.resourceNames.includes(a.name)))
  );
}

describe('agent/deploy RBAC against the requests the agent makes (Kubernetes API stand-in, real client library)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
  const k8s: KubernetesClientModule = require('@kubernetes/client-node');
  let standIn: KubeApiStandIn;
  beforeAll(async () => {
    standIn = new KubeApiStandIn();
    await standIn.start();
  });
  afterAll(() => standIn.stop());

  test('stand-in: every request the agent makes is granted, and every rule is used (least privilege)', async () => {
    const [cm] = find('ConfigMap');
    const parsed = parseConfig(cm.data['agent.yaml'], 'configmap.yaml', { CALENDAR_TOKEN: 'from-a-secret' });
    const config = { ...parsed, agent: { ...parsed.agent, mode: 'act' as const } };
    const [api, photo] = config.targets;
    for (const t of config.targets) {
      const path = `/apis/apps/v1/namespaces/${t.kubernetes.namespace}/deployments/${t.kubernetes.name}`;
      standIn.put(path, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: t.kubernetes.name, namespace: t.kubernetes.namespace, uid: `uid-${t.id}` },
        spec: { replicas: 3 },
        status: { readyReplicas: 3 },
      });
    }
    standIn.put(`/apis/autoscaling/v2/namespaces/${api.kubernetes.namespace}/horizontalpodautoscalers/${api.kubernetes.name}`, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: api.kubernetes.name, namespace: api.kubernetes.namespace },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: api.kubernetes.name }, minReplicas: 3, maxReplicas: 100 },
    });

    const now = Date.UTC(2026, 5, 13, 16);
    const state = new AgentState(
      { version: 't', cluster: 'c', mode: 'act', leader: false, startedAtMs: now, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      config.targets,
      indexCalendar({ weddings: [] }, config.wedding),
    );
    const kubeApi = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: standIn.kubeConfigOptions() }));
    const actuator = new KubernetesActuator({
      config,
      baseDir: DEPLOY,
      state,
      clock: () => now,
      logger: silentLogger,
      registry: new Registry(),
      api: kubeApi,
      env: { POD_NAME: 'wedsync-agent-0' },
    });
    await actuator.start(); // Lease create
    // The agent's state ConfigMap, named as the ConfigMap's config says (created here, then replaced).
    const durable = new DurableStateStore(new ConfigMapStateBackend(kubeApi, config.kubernetes.leaseNamespace, config.state.configMap), state, {
      clock: () => now,
      logger: silentLogger,
      maxAuditEntries: 200,
      intervalMs: 60_000,
    });
    await durable.start(() => actuator.importLegacyOverrides()); // read the annotation once, create the ConfigMap
    await actuator.elector.tryAcquireOrRenew(); // Lease get + update
    const decision = (targetId: string, desired: number): Decision => ({
      targetId,
      atMs: now,
      currentReplicas: 3,
      desiredReplicas: desired,
      reasons: [],
      protections: [],
      deployFreeze: false,
      holding: false,
    });
    for (const t of [api, photo]) {
      expect(await actuator.scaler.read(t)).toMatchObject({ replicas: 3 });
      expect(await actuator.scaler.apply(t, decision(t.id, 6))).toMatchObject({ ok: true, changed: true });
    }
    state.importOverrides([
      { id: 'o', targetId: photo.id, type: 'floor', replicas: 4, untilMs: now + 3600_000, untilWeddingEnds: false, reason: 'r', author: 'a', createdAtMs: now },
    ]);
    await durable.stop(); // get + update the ConfigMap
    await actuator.auditHook({ atMs: now, actor: 'ops', role: 'operator', action: 'override.create', targetId: photo.id, detail: { type: 'floor' } });
    await actuator.stop();

    const roles = find('Role');
    const bindings = find('RoleBinding');
    const [sa] = find('ServiceAccount');
    for (const b of bindings) {
      expect(b.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
      expect(roles.some((r) => r.metadata.name === b.roleRef.name && r.metadata.namespace === b.metadata.namespace)).toBe(true);
    }
    const rulesIn = (ns: string): Rule[] => roles.filter((r) => r.metadata.namespace === ns).flatMap((r) => r.rules);
    const accesses = standIn.requests.map(accessOf);
    const denied = accesses.filter((a) => !rulesIn(a.namespace).some((rule) => allows(rule, a)));
    expect(denied).toEqual([]);
    // Each kind of call really happened (the scenario covers the actuator), …
    expect(new Set(accesses.map((a) => `${a.verb} ${a.resource}`))).toEqual(
      new Set([
        'create leases',
        'get leases',
        'update leases',
        'create configmaps',
        'get configmaps',
        'update configmaps',
        'get deployments',
        'list horizontalpodautoscalers',
        'patch horizontalpodautoscalers',
        'patch deployments/scale',
        'create events',
      ]),
    );
    // … and every rule grants something the agent used: nothing granted "just in case".
    for (const role of roles)
      for (const rule of role.rules as Rule[])
        for (const verb of rule.verbs)
          expect({
            role: role.metadata.name,
            rule,
            verb,
            used: accesses.some((a) => a.namespace === role.metadata.namespace && a.verb === verb && allows({ ...rule, verbs: [verb] }, a)),
          }).toMatchObject({ used: true });
    expect(JSON.stringify(roles)).not.toContain('"*"');
    expect(find('ClusterRole')).toEqual([]);
  });
  test('stand-in: the admission overlay grants the freeze exactly what the agent does with it (parameter ConfigMap, break glass), and every freeze rule is used', async () => {
    const { objects } = render('agent/deploy/overlays/admission');
    const config = parseConfig(one(objects, 'ConfigMap', 'wedsync-agent-config').data['agent.yaml'], 'overlays/admission/agent.yaml', { CALENDAR_TOKEN: 'x' });
    const freeze = config.kubernetes.deployFreeze!;
    const ns = freeze.namespace ?? config.kubernetes.leaseNamespace;
    const before = standIn.requests.length;
    const cmPath = `/api/v1/namespaces/${ns}/configmaps/${freeze.configMap}`;
    standIn.put(cmPath, one(objects, 'ConfigMap', freeze.configMap));
    const [api] = config.targets;
    const depPath = `/apis/apps/v1/namespaces/${api.kubernetes.namespace}/deployments/${api.kubernetes.name}`;
    for (const t of config.targets) {
      standIn.put(`/apis/apps/v1/namespaces/${t.kubernetes.namespace}/deployments/${t.kubernetes.name}`, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: t.kubernetes.name, namespace: t.kubernetes.namespace, generation: 4 },
        spec: { replicas: 3 },
        status: { readyReplicas: 3 },
      });
    }
    // Saturday 5 June 2027, 14:00 UTC, a London wedding live: api and photo-upload serve every zone.
    const now = Date.parse('2027-06-05T14:00:00Z');
    const calendar = indexCalendar(
      {
        weddings: [
          {
            id: 'w1',
            title: 'Ada & Ben',
            start: '2027-06-05T13:00:00+01:00',
            timezone: 'Europe/London',
            days: 1,
            guests: 150,
            tradition: 'british',
            vendors: 8,
          },
        ],
      },
      config.wedding,
    );
    const state = new AgentState(
      { version: 't', cluster: 'c', mode: config.agent.mode, leader: false, startedAtMs: now, lastTickMs: now, lastTickDurationMs: 1, ticks: 1, ready: true },
      config.targets,
      calendar,
    );
    for (const t of state.targets.values()) t.view = { atMs: now, load: 1, readError: null, overrides: [], calendar: targetCalendar(calendar, t.config, now) };
    const kubeApi = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: standIn.kubeConfigOptions() }));
    const actuator = new KubernetesActuator({
      config,
      baseDir: DEPLOY,
      state,
      clock: () => now,
      logger: silentLogger,
      registry: new Registry(),
      api: kubeApi,
      env: { POD_NAME: 'wedsync-agent-1' },
    });
    standIn.objects.delete('/apis/coordination.k8s.io/v1/namespaces/wedsync/leases/wedsync-agent'); // a fresh Lease for this agent
    await actuator.start(); // leads, writes the freeze (the shadow-mode base config: the freeze is written in every mode)
    expect(standIn.get(cmPath).data).toMatchObject({
      [`frozen.Deployment.${api.kubernetes.namespace}.${api.kubernetes.name}`]: expect.stringMatching(/Ada & Ben/),
    });
    // Someone breaks glass on api; the agent sees who (managedFields) and records it, with an Event.
    const dep = standIn.get(depPath);
    standIn.put(depPath, {
      ...dep,
      metadata: {
        ...dep.metadata,
        generation: 5,
        annotations: { 'wedsync.io/emergency-change': 'INC-9: hotfix' },
        managedFields: [
          {
            manager: 'kubectl-annotate',
            operation: 'Update',
            apiVersion: 'apps/v1',
            time: '2027-06-05T14:00:00Z',
            fieldsType: 'FieldsV1',
            fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:wedsync.io/emergency-change': {} } } },
          },
        ],
      },
    });
    await actuator.syncFreeze();
    expect(state.breakGlass.toArray()).toEqual([
      expect.objectContaining({ targetId: api.id, by: 'kubectl-annotate', reason: 'INC-9: hotfix', generation: 5, duringFreeze: true }),
    ]);
    await actuator.stop(); // empties the freeze: deploys pass while no agent keeps it
    expect(standIn.get(cmPath).data).toEqual({});

    const roles = objects.filter((o: Obj) => o.kind === 'Role');
    const accesses = standIn.requests.slice(before).map(accessOf);
    const rulesIn = (namespace: string): Rule[] => roles.filter((r: Obj) => r.metadata.namespace === namespace).flatMap((r: Obj) => r.rules);
    expect(accesses.filter((a) => !rulesIn(a.namespace).some((rule) => allows(rule, a)))).toEqual([]);
    expect(accesses.filter((a) => a.resource === 'events').length).toBeGreaterThan(0);
    const freezeRole = one(objects, 'Role', 'wedsync-agent-deploy-freeze');
    for (const rule of freezeRole.rules as Rule[])
      for (const verb of rule.verbs)
        expect({
          verb,
          used: accesses.some((a) => a.namespace === freezeRole.metadata.namespace && allows({ ...rule, verbs: [verb] }, a) && a.verb === verb),
        }).toEqual({ verb, used: true });
  });
});

describe('identity detection (real client library, Kubernetes API stand-in) and the optional node-identity addon', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the ESM-only client, through Jest's CommonJS transform (RECIPES.md)
  const k8s: KubernetesClientModule = require('@kubernetes/client-node');
  let standIn: KubeApiStandIn;
  beforeAll(async () => {
    standIn = new KubeApiStandIn();
    await standIn.start();
  });
  afterAll(() => standIn.stop());

  test('one read-only `list nodes`, exactly what the addon grants, gives provider and region; a 403 is "not detected"', async () => {
    const node = (name: string, providerID: string) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'topology.kubernetes.io/region': 'eu-west-1' } },
      spec: { providerID },
    });
    standIn.put('/api/v1/nodes/ip-10-0-1-1', node('ip-10-0-1-1', 'aws:///eu-west-1a/i-0a'));
    standIn.put('/api/v1/nodes/ip-10-0-2-1', node('ip-10-0-2-1', 'aws:///eu-west-1b/i-0b'));
    const api = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: standIn.kubeConfigOptions() }));
    expect(await detectFromNodes((limit) => api.listNodes!(limit), 5000)).toEqual({ provider: 'eks', region: 'eu-west-1', note: null });
    // It asks first whether it may (a SelfSubjectAccessReview), then lists once.
    expect(standIn.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'],
      ['GET', '/api/v1/nodes'],
    ]);
    expect(standIn.requests[0].body.spec.resourceAttributes).toEqual({ verb: 'list', resource: 'nodes' });

    const { objects } = render('agent/deploy/overlays/node-identity');
    expect(one(objects, 'ClusterRole', 'wedsync-agent-node-reader').rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }]);
    const binding = one(objects, 'ClusterRoleBinding', 'wedsync-agent-node-reader');
    const sa = one(objects, 'ServiceAccount');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
    expect(render('agent/deploy').objects.filter((o: Obj) => o.kind.startsWith('Cluster'))).toEqual([]); // optional: not in the base

    standIn.failNext('GET', /^\/api\/v1\/nodes$/, 403);
    expect((await detectFromNodes((limit) => api.listNodes!(limit), 5000)).note).toMatch(/^no permission to list nodes/);

    // Without the addon RBAC says no: the agent never sends the list the API server would refuse.
    standIn.access.set('list nodes', false);
    const before = standIn.requests.length;
    expect((await detectFromNodes((limit) => api.listNodes!(limit), 5000)).note).toMatch(/^no permission to list nodes/);
    expect(standIn.requests.slice(before).map((r) => [r.method, r.path])).toEqual([['POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']]);
  });
});
