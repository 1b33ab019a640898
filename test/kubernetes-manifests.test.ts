/**
 * agent/deploy: every manifest checked against Kubernetes' schemas offline (kubernetes-models' validators
 * generated from the Kubernetes OpenAPI spec, plus @kubernetes/client-node's generated models to reject
 * unknown fields — run in a plain Node child process, both being ESM-only), the pieces checked against
 * each other, the ConfigMap against the agent's own config schema, and the RBAC against the requests the
 * agent really makes (recorded by the Kubernetes API stand-in): everything it needs, nothing more.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../agent/src/config/load';
import type { Decision } from '../agent/src/plan/types';
import { KubernetesActuator } from '../agent/src/scale/kubernetes/actuator';
import { createKubeApi, makeKubeConfig, type KubernetesClientModule } from '../agent/src/scale/kubernetes/client-adapter';
import { AgentState } from '../agent/src/state';
import { indexCalendar } from '../agent/src/calendar/rules';
import { silentLogger } from '../agent/src/util/logger';
import { Registry } from 'prom-client';
import { KubeApiStandIn, type RecordedRequest } from './support/kube-api-standin';

const DEPLOY = join(__dirname, '../agent/deploy');
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
    expect(results.map((r) => r.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Namespace', 'PodDisruptionBudget', 'Role', 'Role', 'RoleBinding', 'RoleBinding', 'Service', 'ServiceAccount']);
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
    expect(deploy.errors).toEqual(expect.arrayContaining([expect.stringMatching(/\/spec\/replicas must be integer/), '/spec must have required property selector', '/spec/template/spec/containers/0/bogus is not a field of V1Container']));
    expect(service.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^\/spec\/ports\/0\/protocol must be equal to one of the allowed values/), '/spec/selectr is not a field of V1ServiceSpec']));
    expect(role.errors).toEqual(expect.arrayContaining([expect.stringMatching(/must have required property verbs/)]));
  });

  test('kustomization.yaml lists every manifest', () => {
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
    const config = parseConfig(cm.data['config.yaml'], 'configmap.yaml', { CALENDAR_TOKEN: 'from-a-secret' });
    const [dep] = find('Deployment');
    expect(config.kubernetes.connection).toBe('in-cluster');
    expect(config.kubernetes.leaseNamespace).toBe(dep.metadata.namespace);
    expect(config.agent.listen).toEqual({ host: '0.0.0.0', port: dep.spec.template.spec.containers[0].ports[0].containerPort });
    expect(config.targets.length).toBeGreaterThan(0);
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
    const parsed = parseConfig(cm.data['config.yaml'], 'configmap.yaml', { CALENDAR_TOKEN: 'from-a-secret' });
    const config = { ...parsed, agent: { ...parsed.agent, mode: 'act' as const } };
    const [api, photo] = config.targets;
    for (const t of config.targets) {
      const path = `/apis/apps/v1/namespaces/${t.kubernetes.namespace}/deployments/${t.kubernetes.name}`;
      standIn.put(path, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: t.kubernetes.name, namespace: t.kubernetes.namespace, uid: `uid-${t.id}` }, spec: { replicas: 3 }, status: { readyReplicas: 3 } });
    }
    standIn.put(`/apis/autoscaling/v2/namespaces/${api.kubernetes.namespace}/horizontalpodautoscalers/${api.kubernetes.name}`, {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: api.kubernetes.name, namespace: api.kubernetes.namespace },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: api.kubernetes.name }, minReplicas: 3, maxReplicas: 100 },
    });

    const now = Date.UTC(2026, 5, 13, 16);
    const state = new AgentState(
      { version: 't', cluster: 'c', mode: 'act', leader: false, startedAtMs: now, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      config.targets,
      indexCalendar({ weddings: [] }, config.wedding),
    );
    const kubeApi = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: standIn.kubeConfigOptions() }));
    const actuator = new KubernetesActuator({ config, baseDir: DEPLOY, state, clock: () => now, logger: silentLogger, registry: new Registry(), api: kubeApi, env: { POD_NAME: 'wedsync-agent-0' } });
    await actuator.start(); // Lease create, override load
    await actuator.elector.tryAcquireOrRenew(); // Lease get + update
    const decision = (targetId: string, desired: number): Decision => ({ targetId, atMs: now, currentReplicas: 3, desiredReplicas: desired, reasons: [], protections: [], deployFreeze: false, holding: false });
    for (const t of [api, photo]) {
      expect(await actuator.scaler.read(t)).toMatchObject({ replicas: 3 });
      expect(await actuator.scaler.apply(t, decision(t.id, 6))).toMatchObject({ ok: true, changed: true });
    }
    state.overrides.push({ id: 'o', targetId: photo.id, type: 'floor', replicas: 4, untilMs: now + 3600_000, untilWeddingEnds: false, reason: 'r', author: 'a', createdAtMs: now });
    await actuator.syncOverrides();
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
      new Set(['create leases', 'get leases', 'update leases', 'get deployments', 'list horizontalpodautoscalers', 'patch horizontalpodautoscalers', 'patch deployments/scale', 'patch deployments', 'create events']),
    );
    // … and every rule grants something the agent used: nothing granted "just in case".
    for (const role of roles)
      for (const rule of role.rules as Rule[])
        for (const verb of rule.verbs)
          expect({ role: role.metadata.name, rule, verb, used: accesses.some((a) => a.namespace === role.metadata.namespace && a.verb === verb && allows({ ...rule, verbs: [verb] }, a)) }).toMatchObject({ used: true });
    expect(JSON.stringify(roles)).not.toContain('"*"');
    expect(find('ClusterRole')).toEqual([]);
  });
});
