#!/usr/bin/env node
// Prepares a running `npm run cluster -- up` cluster for trying the agent in act mode (README, "Try it
// against a real Kubernetes control plane"): applies agent/deploy/base's Namespaces, ServiceAccount and
// Roles as shipped, a 2-replica Deployment `api` in `weddings` (a target the shipped Role names), mints
// the agent's ServiceAccount token (TokenRequest) and writes .tmp/try-act/{kubeconfig,agent.yaml}.
//
//   node test/cluster/try-act.mjs [--dir DIR]     # DIR: the cluster (default as `npm run cluster`)
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apply, call, waitFor } from './lib/api.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const { parseAllDocuments } = createRequire(import.meta.url)('yaml');
const dirArg = process.argv.indexOf('--dir');
const dir = resolve(dirArg > 0 ? process.argv[dirArg + 1] : (process.env.WEDSYNC_CLUSTER_DIR ?? join(repo, '.tmp', 'cluster', 'default')));
if (!existsSync(join(dir, 'state.json'))) {
  console.error(`try-act: no cluster in ${dir}: run \`npm run cluster -- up\` first`);
  process.exit(1);
}
const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
const admin = { server: state.server, token: state.tokens.admin, ca: readFileSync(state.ca, 'utf8') };
const OPERATOR_TOKEN = 'try-operator-token-0123456789';

/** REST path of the few kinds applied here. */
function pathOf(o) {
  const ns = o.metadata.namespace;
  switch (o.kind) {
    case 'Namespace':
      return `/api/v1/namespaces/${o.metadata.name}`;
    case 'ServiceAccount':
      return `/api/v1/namespaces/${ns}/serviceaccounts/${o.metadata.name}`;
    case 'Role':
      return `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles/${o.metadata.name}`;
    case 'RoleBinding':
      return `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings/${o.metadata.name}`;
    case 'Deployment':
      return `/apis/apps/v1/namespaces/${ns}/deployments/${o.metadata.name}`;
    default:
      throw new Error(`try-act: unexpected kind ${o.kind}`);
  }
}

const base = join(repo, 'agent', 'deploy', 'base');
const objects = ['namespace.yaml', 'serviceaccount.yaml', 'rbac.yaml']
  .filter((f) => existsSync(join(base, f)))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(join(base, f), 'utf8'))
      .map((d) => d.toJS())
      .filter(Boolean),
  );
const labels = { 'app.kubernetes.io/name': 'api' };
objects.push({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'weddings', labels },
  spec: {
    replicas: 2,
    selector: { matchLabels: labels },
    template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.invalid/api:1' }] } },
  },
});
// Namespaces first; the targets' namespace too if the base does not bring it.
if (!objects.some((o) => o.kind === 'Namespace' && o.metadata.name === 'weddings'))
  objects.unshift({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'weddings' } });
objects.sort((a, b) => (a.kind === 'Namespace' ? 0 : 1) - (b.kind === 'Namespace' ? 0 : 1));
for (const o of objects) {
  await apply(admin, pathOf(o), o, 'try-act');
  console.error(`try-act: applied ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`);
}
await waitFor(
  'the wedsync-agent ServiceAccount',
  async () => ((await call(admin, 'GET', '/api/v1/namespaces/wedsync/serviceaccounts/wedsync-agent')).status === 200 ? true : undefined),
  30_000,
);
const tokenRes = await call(admin, 'POST', '/api/v1/namespaces/wedsync/serviceaccounts/wedsync-agent/token', {
  body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 86_400 } },
});
if (tokenRes.status !== 201) throw new Error(`try-act: TokenRequest: HTTP ${tokenRes.status} ${tokenRes.body}`);
const token = JSON.parse(tokenRes.body).status.token;

const out = join(repo, '.tmp', 'try-act');
mkdirSync(out, { recursive: true });
const kubeconfig = join(out, 'kubeconfig');
writeFileSync(
  kubeconfig,
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'wedsync', cluster: { server: state.server, 'certificate-authority': state.ca } }],
    users: [{ name: 'wedsync-agent', user: { token } }],
    contexts: [{ name: 'wedsync', context: { cluster: 'wedsync', user: 'wedsync-agent' } }],
    'current-context': 'wedsync',
  }),
  { mode: 0o600 },
);
writeFileSync(
  join(out, 'agent.yaml'),
  [
    '# Written by test/cluster/try-act.mjs: the agent in act mode on the wedsync-agent ServiceAccount token.',
    'agent: { cluster: try, mode: act, tickSeconds: 5, listen: { host: 127.0.0.1, port: 8080 } }',
    'sources: { push: { type: push } }',
    'forecast: { backfillHours: 0 }',
    `kubernetes: { connection: kubeconfig, kubeconfig: ${kubeconfig}, leaseNamespace: wedsync, identity: try-act }`,
    'targets: [{ id: api, kubernetes: { namespace: weddings, name: api }, load: { source: push, query: api_rps }, capacityPerPod: 50, minReplicas: 2, maxReplicas: 40 }]',
    '',
  ].join('\n'),
);
console.log(`try-act: wrote ${join(out, 'agent.yaml')}. Run the agent with:
  WEDSYNC_API_TOKENS=operator:${OPERATOR_TOKEN} npx wedsync-agent run --config ${join(out, 'agent.yaml')}`);
