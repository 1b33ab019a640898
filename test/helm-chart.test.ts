/**
 * charts/wedsync-agent rendered by the pinned Helm (v4, built from the Go module proxy; no cluster here —
 * test/real-cluster-helm.test.ts installs it on the real control plane): lint, every object against the
 * Kubernetes OpenAPI schemas and the Prometheus Operator CRD schemas, the recommended labels, each target
 * written once in values and followed by RBAC and the admission policy, the checksum that rolls the pods,
 * values.schema.json and the template-time checks refusing bad values by name, and the AlertmanagerConfig
 * routing every severity as alert-rules/alertmanager.yml does (real amtool).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../agent/src/app/config-load';
import { CHART, REPO, helmTemplate, parseObjects, run, type Obj } from './support/go-tools';
import { runTool } from './support/alerting-tools';
import { alertmanagerYamlFrom } from './support/alertmanager-config-check';
import { panelUnits } from './support/dashboard-units';

const ALL_ON = {
  existingSecret: 'wedsync-agent-secrets',
  serviceMonitor: { enabled: true },
  prometheusRule: { enabled: true },
  alertmanagerConfig: { enabled: true, pagerdutySecret: 'pd-keys' },
  dashboards: { enabled: true },
  nodeIdentity: { enabled: true },
  admissionPolicy: { enabled: true },
  networkPolicy: {
    enabled: true,
    ingressFrom: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
    egressTo: [{ ipBlock: { cidr: '10.0.0.0/8' } }],
  },
};
function template(values: object, release?: string, namespace?: string): Obj[] {
  const r = helmTemplate([], values, release, namespace);
  if (r.status !== 0) throw new Error(`helm template failed: ${r.stderr}`);
  return parseObjects(r.stdout);
}
const one = (objects: Obj[], kind: string, name?: string): Obj => {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0];
};
const CHECKER = join(__dirname, 'support/kube-manifest-check.mjs');

describe('charts/wedsync-agent (pinned Helm, offline)', () => {
  test('helm lint --strict passes', () => {
    const r = run('helm', ['lint', CHART, '--strict', '--set', 'existingSecret=wedsync-agent-secrets']);
    expect(r.stdout + r.stderr).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(r.status).toBe(0);
  });

  test('every object with every toggle on passes the Kubernetes OpenAPI schemas and the Prometheus Operator CRD schemas', () => {
    const r = helmTemplate([], ALL_ON);
    expect(r.stderr).toBe('');
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-chart-'));
    try {
      const file = join(dir, 'rendered.yaml');
      writeFileSync(file, r.stdout);
      const results = JSON.parse(execFileSync(process.execPath, [CHECKER, file], { encoding: 'utf8', timeout: 60_000 })) as {
        kind: string;
        errors: string[];
      }[];
      expect(results.filter((x) => x.errors.length)).toEqual([]);
      expect([...new Set(results.map((x) => x.kind))].sort()).toEqual(
        [
          'AlertmanagerConfig',
          'ClusterRole',
          'ClusterRoleBinding',
          'ConfigMap',
          'Deployment',
          'NetworkPolicy',
          'PodDisruptionBudget',
          'PrometheusRule',
          'Role',
          'RoleBinding',
          'Service',
          'ServiceAccount',
          'ServiceMonitor',
          'ValidatingAdmissionPolicy',
          'ValidatingAdmissionPolicyBinding',
        ].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  test('every object and the pods carry app.kubernetes.io/{name,instance,version,component,part-of,managed-by}', () => {
    const objects = template(ALL_ON, 'shop');
    const version = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')).appVersion;
    for (const o of [...objects, one(objects, 'Deployment').spec.template]) {
      expect({ kind: o.kind, labels: o.metadata.labels }).toMatchObject({
        labels: {
          'app.kubernetes.io/name': 'wedsync-agent',
          'app.kubernetes.io/instance': 'shop',
          'app.kubernetes.io/version': version,
          'app.kubernetes.io/component': expect.stringMatching(/^(agent|monitoring|dashboards|deploy-freeze)$/),
          'app.kubernetes.io/part-of': 'wedsync',
          'app.kubernetes.io/managed-by': 'Helm',
        },
      });
    }
  });

  test("each target's name is written once in values: the config, the Roles' resourceNames per namespace and kind, and the admission policy follow", () => {
    const targets = [
      { id: 'checkout', kubernetes: { namespace: 'shop', name: 'checkout-web' }, load: { query: 'sum(rate(x[1m]))' }, capacityPerPod: 10, maxReplicas: 20 },
      {
        id: 'ledger',
        kubernetes: { kind: 'StatefulSet', namespace: 'payments', name: 'ledger-db' },
        load: { query: 'sum(rate(y[1m]))' },
        capacityPerPod: 5,
        maxReplicas: 6,
      },
      { id: 'search', kubernetes: { namespace: 'shop', name: 'search' }, load: { query: 'sum(rate(z[1m]))' }, capacityPerPod: 40, maxReplicas: 30 },
    ];
    const objects = template({ existingSecret: 's', targets, admissionPolicy: { enabled: true } }, 'ops', 'platform');
    const config = parseConfig(one(objects, 'ConfigMap', 'ops-wedsync-agent-config').data['agent.yaml'], 'configmap', { CALENDAR_TOKEN: 't' });
    expect(config.targets.map((t) => [t.id, t.kubernetes.kind, t.kubernetes.namespace, t.kubernetes.name])).toEqual([
      ['checkout', 'Deployment', 'shop', 'checkout-web'],
      ['ledger', 'StatefulSet', 'payments', 'ledger-db'],
      ['search', 'Deployment', 'shop', 'search'],
    ]);
    expect(config.kubernetes).toMatchObject({
      leaseName: 'ops-wedsync-agent',
      leaseNamespace: 'platform',
      deployFreeze: { configMap: 'wedsync-deploy-freeze', namespace: 'platform' },
    });
    expect(config.state.configMap).toBe('ops-wedsync-agent-state');
    const rules = (ns: string) =>
      one(
        objects.filter((o) => o.metadata.namespace === ns),
        'Role',
        'ops-wedsync-agent-scaler',
      ).rules;
    expect(rules('shop')).toEqual(
      expect.arrayContaining([
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['checkout-web', 'search'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['deployments/scale'], resourceNames: ['checkout-web', 'search'], verbs: ['patch'] },
        { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], resourceNames: ['checkout-web', 'search'], verbs: ['patch'] },
      ]),
    );
    expect(rules('payments')).toEqual(
      expect.arrayContaining([
        { apiGroups: ['apps'], resources: ['statefulsets'], resourceNames: ['ledger-db'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['statefulsets/scale'], resourceNames: ['ledger-db'], verbs: ['patch'] },
      ]),
    );
    expect(JSON.stringify(rules('payments'))).not.toContain('deployments');
    const binding = one(objects, 'ValidatingAdmissionPolicyBinding');
    expect(binding.spec.matchResources.namespaceSelector.matchExpressions[0].values).toEqual(['payments', 'shop']);
    expect(binding.spec.paramRef).toEqual({ name: 'wedsync-deploy-freeze', namespace: 'platform', parameterNotFoundAction: 'Allow' });
    const policy = one(objects, 'ValidatingAdmissionPolicy');
    expect(policy.spec.variables.find((v: { name: string }) => v.name === 'byAgent').expression).toBe(
      "request.userInfo.username == 'system:serviceaccount:platform:ops-wedsync-agent'",
    );
    expect(one(objects, 'Deployment').spec.template.spec.serviceAccountName).toBe('ops-wedsync-agent');
  });

  test('a config change changes the checksum annotation (the pods roll); the same values give the same checksum', () => {
    const checksum = (values: object) => one(template({ existingSecret: 's', ...values }), 'Deployment').spec.template.metadata.annotations['checksum/config'];
    expect(checksum({})).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum({})).toBe(checksum({}));
    expect(checksum({ mode: 'act' })).not.toBe(checksum({}));
    expect(checksum({ extraConfig: { agent: { logLevel: 'debug' } } })).not.toBe(checksum({}));
    expect(checksum({ replicaCount: 3 })).toBe(checksum({})); // not a config change
  });

  test('pods: startupProbe before liveness, spread over zones and nodes by the selector labels, tokens from existingSecret, read-only and non-root', () => {
    const dep = one(template({ existingSecret: 'my-tokens', replicaCount: 3 }), 'Deployment');
    const pod = dep.spec.template.spec;
    const c = pod.containers[0];
    expect(dep.spec.replicas).toBe(3);
    expect(c.startupProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'http' } });
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(120);
    expect(c.livenessProbe.initialDelaySeconds).toBeUndefined();
    expect(pod.topologySpreadConstraints.map((t: Obj) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    for (const t of pod.topologySpreadConstraints) expect(t.labelSelector.matchLabels).toEqual(dep.spec.selector.matchLabels);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'my-tokens' } }]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(c.image).toBe(`ghcr.io/wedsync/wedsync-agent:${parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')).appVersion}`);
    const digest = 'sha256:' + 'a'.repeat(64);
    expect(
      one(template({ existingSecret: 's', image: { repository: 'registry.example/wedsync', digest } }), 'Deployment').spec.template.spec.containers[0].image,
    ).toBe(`registry.example/wedsync@${digest}`);
  });

  test('NetworkPolicy: ingress only to the agent port from the listed peers; egress restricted only when peers are listed', () => {
    const np = one(template(ALL_ON), 'NetworkPolicy');
    expect(np.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'wedsync-agent', 'app.kubernetes.io/instance': 'wedsync-agent' });
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }], from: ALL_ON.networkPolicy.ingressFrom }]);
    expect(np.spec.egress[1]).toEqual({ to: ALL_ON.networkPolicy.egressTo });
    const open = one(template({ existingSecret: 's', networkPolicy: { enabled: true } }), 'NetworkPolicy');
    expect(open.spec.policyTypes).toEqual(['Ingress']);
    expect(template({ existingSecret: 's' }).filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
  });

  test("PrometheusRule: the rules of alert-rules/rules, the agent selected by the ServiceMonitor's job (or prometheusRule.agentSelector), every alert labelled with the namespace", () => {
    const rule = one(template({ existingSecret: 's', prometheusRule: { enabled: true } }, 'ops', 'platform'), 'PrometheusRule');
    const dir = join(REPO, 'alert-rules', 'rules');
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.yml'))
      .sort()
      .flatMap((f) => parse(readFileSync(join(dir, f), 'utf8')).groups);
    const text = JSON.stringify(rule.spec.groups);
    expect(text).toContain('up{job=\\"ops-wedsync-agent\\",namespace=\\"platform\\"}');
    expect(text).not.toContain('job=\\"wedsync-agent\\"');
    const strip = (groups: Obj[]) =>
      JSON.parse(JSON.stringify(groups).replaceAll('job=\\"ops-wedsync-agent\\",namespace=\\"platform\\"', 'job=\\"wedsync-agent\\"'));
    const withoutNamespace = strip(rule.spec.groups).map((g: Obj) => ({
      ...g,
      rules: g.rules.map((r: Obj) => (r.alert ? { ...r, labels: (({ namespace, ...rest }) => (expect(namespace).toBe('platform'), rest))(r.labels) } : r)),
    }));
    expect(withoutNamespace).toEqual(source);
    const custom = one(template({ existingSecret: 's', prometheusRule: { enabled: true, agentSelector: 'service="wedsync"' } }), 'PrometheusRule');
    expect(JSON.stringify(custom.spec.groups)).toContain('up{service=\\"wedsync\\"}');
  });

  test('dashboards: one ConfigMap per dashboard for the sidecar, the JSON as in dashboards/', () => {
    const maps = template({ existingSecret: 's', dashboards: { enabled: true } }).filter((o) => o.metadata.labels.grafana_dashboard === '1');
    const files = readdirSync(join(REPO, 'dashboards'))
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(maps.flatMap((m) => Object.keys(m.data)).sort()).toEqual(files);
    for (const m of maps)
      for (const [f, json] of Object.entries(m.data)) expect(JSON.parse(json as string)).toEqual(JSON.parse(readFileSync(join(REPO, 'dashboards', f), 'utf8')));
  });

  test('dashboards follow the config: every load panel in loadUnit, every cost panel in pricing.currency, none left in reqps/USD', () => {
    const render = (values: object) => {
      const objects = template({ existingSecret: 's', dashboards: { enabled: true }, ...values });
      const agentYaml = parse(one(objects, 'ConfigMap', 'wedsync-agent-config').data['agent.yaml'] as string) as { agent: { loadUnit: string } };
      const dashboards = objects
        .filter((o) => o.metadata.labels.grafana_dashboard === '1')
        .flatMap((m) => Object.values(m.data).map((json) => JSON.parse(json as string) as { panels: never[] }));
      return { loadUnit: agentYaml.agent.loadUnit, units: dashboards.flatMap((d) => panelUnits(d)), text: JSON.stringify(dashboards) };
    };
    const byRole = (units: ReturnType<typeof panelUnits>, role: string) => [...new Set(units.filter((u) => u.role === role).map((u) => u.unit))];
    const shipped = render({});
    expect(shipped.loadUnit).toBe('reqps');
    expect([byRole(shipped.units, 'load'), byRole(shipped.units, 'cost')]).toEqual([['reqps'], ['currencyUSD']]);

    const custom = render({ loadUnit: 'wps', pricing: { currency: 'EUR' } });
    expect(custom.loadUnit).toBe('wps'); // the agent's own config says the same (the panel and /status read it)
    expect([byRole(custom.units, 'load'), byRole(custom.units, 'cost')]).toEqual([['wps'], ['currencyEUR']]);
    expect(custom.units.filter((u) => u.role === 'load')).toHaveLength(shipped.units.filter((u) => u.role === 'load').length);
    expect(custom.text).not.toMatch(/"unit":"(reqps|currencyUSD)"/);
    // Every other panel is as shipped.
    expect(custom.units.filter((u) => u.role === 'other')).toEqual(shipped.units.filter((u) => u.role === 'other'));

    // A currency Grafana has no unit for is shown as its code.
    expect(byRole(render({ pricing: { currency: 'AUD' } }).units, 'cost')).toEqual(['suffix: AUD']);
  });
});

describe('bad values fail at template time, naming the value', () => {
  const target = { id: 'api', kubernetes: { namespace: 'weddings', name: 'api' }, load: { query: 'q' }, capacityPerPod: 50, maxReplicas: 10 };
  const cases: [string, object, RegExp][] = [
    ['a target missing capacityPerPod', { existingSecret: 's', targets: [{ ...target, capacityPerPod: undefined }] }, /targets\/0.*capacityPerPod/],
    ['a bad mode', { existingSecret: 's', mode: 'yolo' }, /mode.*(shadow|enum|one of)/i],
    ['a missing secret while the config reads ${CALENDAR_TOKEN}', {}, /existingSecret: required, because the config reads \$\{CALENDAR_TOKEN\}/],
    [
      'an AlertmanagerConfig without its PagerDuty Secret',
      { existingSecret: 's', alertmanagerConfig: { enabled: true } },
      /alertmanagerConfig\.pagerdutySecret: required/,
    ],
    ['two targets with one id', { existingSecret: 's', targets: [target, target] }, /targets\[1\]\.id: "api" is used twice/],
    ['a misspelt key', { existingSecret: 's', replicas: 3 }, /replicas/],
    [
      'an inline calendar token',
      { existingSecret: 's', calendar: { sources: [{ format: 'json', location: 'https://x', bearerToken: 'hunter2' }] } },
      /bearerToken/,
    ],
  ];
  test.each(cases)('%s', (_name, values, message) => {
    const r = helmTemplate([], values);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/hunter2/);
  });
});

describe('AlertmanagerConfig routes every severity as alert-rules/alertmanager.yml does (real amtool)', () => {
  let amc: Obj;
  let dir = '';
  let file = '';
  beforeAll(() => {
    amc = one(template({ existingSecret: 's', alertmanagerConfig: { enabled: true, pagerdutySecret: 'pd-keys' } }), 'AlertmanagerConfig');
    dir = mkdtempSync(join(tmpdir(), 'wedsync-amc-'));
    file = join(dir, 'alertmanager.yml');
    writeFileSync(file, stringify(alertmanagerYamlFrom(amc.spec)));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('routing keys come from the Secret, by key', () => {
    const keys = amc.spec.receivers.flatMap((r: Obj) => (r.pagerdutyConfigs ?? []).map((p: Obj) => p.routingKey));
    expect(keys).toEqual(
      expect.arrayContaining([
        { name: 'pd-keys', key: 'pagerduty-routing-key' },
        { name: 'pd-keys', key: 'pagerduty-tickets-routing-key' },
      ]),
    );
  });

  test.each([
    [['severity=critical', 'wedding_day=true'], 'pagerduty-wedding-day'],
    [['severity=critical', 'wedding_day=false'], 'pagerduty'],
    [['severity=warning', 'wedding_day=true'], 'pagerduty-tickets'],
    [['severity=info', 'wedding_day=true'], 'null'],
    [['alertname=SomethingUnlabelled'], 'pagerduty-tickets'],
  ])('%j → %s, in both', (labels, receiver) => {
    for (const config of [file, join(REPO, 'alert-rules', 'alertmanager.yml')]) {
      const r = runTool('amtool', ['config', 'routes', 'test', `--config.file=${config}`, `--verify.receivers=${receiver}`, ...labels]);
      expect({ config, receiver: r.stdout.trim() }).toEqual({ config, receiver });
    }
  });

  test('the same inhibitions', () => {
    const source = parse(readFileSync(join(REPO, 'alert-rules', 'alertmanager.yml'), 'utf8'));
    expect(parse(readFileSync(file, 'utf8')).inhibit_rules).toEqual(source.inhibit_rules);
  });
});
