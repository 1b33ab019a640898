/**
 * The shipped manifests (agent/deploy), rendered and made ready for the shared real cluster: the
 * Prometheus Operator's CRDs from its own Go module, and a copy of an overlay moved into namespaces of a
 * test's own (as `kustomize edit set namespace` and editing the names in the config would), so test files
 * running side by side never share the `wedsync` and `weddings` namespaces. Only the manifests test
 * applies the overlays as shipped, into `wedsync` and `weddings` themselves.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kustomize } from './kubectl';
import { waitFor, type KubeObject } from './real-cluster-client';
import type { RealCluster } from './real-cluster';

const REPO = join(__dirname, '..', '..');

/** `kustomize build` of a folder under agent/deploy (the pinned kustomize v5: test/support/kubectl.ts). */
export function renderOverlay(folder: string): KubeObject[] {
  return parseYaml(kustomize(join(REPO, folder)));
}

export function parseYaml(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => !!o);
}

/**
 * The objects with the namespaces `wedsync` (the agent's) and `weddings` (its targets') renamed wherever
 * they appear as a whole word: metadata, RoleBinding subjects, the policy's ServiceAccount name and
 * namespace selector, the agent's config. `wedsync.io/…` keys and host names are left alone.
 */
export function inNamespaces(objects: KubeObject[], names: { wedsync: string; weddings: string }): KubeObject[] {
  const word = (w: string) => new RegExp(`(?<![\\w.-])${w}(?![\\w.-])`, 'g');
  const json = JSON.stringify(objects).replace(word('wedsync'), names.wedsync).replace(word('weddings'), names.weddings);
  return JSON.parse(json) as KubeObject[];
}

/** A cached tool's output folder from test/cluster/build.sh (built before Jest by scripts/test.sh). */
export function clusterToolDir(tool: string): string {
  const out = execFileSync('bash', [join(REPO, 'test', 'cluster', 'build.sh'), tool], {
    encoding: 'utf8',
    env: { ...process.env, WEDSYNC_CLUSTER_CACHED_ONLY: '1' },
  });
  const line = out.split('\n').find((l) => l.startsWith(`${tool}.dir `));
  if (!line) throw new Error(`test/cluster/build.sh ${tool} printed no "${tool}.dir" line: ${out}`);
  return line.slice(line.indexOf(' ') + 1);
}

/** The Prometheus Operator CRDs the overlays need, from the operator's Go module, applied and Established. */
export async function installPrometheusOperatorCrds(cluster: RealCluster): Promise<string[]> {
  const share = join(clusterToolDir('prometheus-operator-crds'), 'share');
  const crds = readdirSync(share)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseYaml(readFileSync(join(share, f), 'utf8')));
  await cluster.admin.apply(crds, { fieldManager: 'wedsync-test-crds' });
  for (const crd of crds) {
    await waitFor(
      `CRD ${crd.metadata.name} Established`,
      async () => {
        const got = await cluster.admin.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
        return got.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Established' && c.status === 'True') ? true : undefined;
      },
      30_000,
    );
  }
  return crds.map((c) => c.metadata.name);
}

/**
 * The agent's ServiceAccount and exactly the shipped Roles and RoleBindings (agent/deploy/base), moved
 * into a test's own namespaces; returns the ServiceAccount's user name as the API server sees it.
 */
export async function installShippedRbac(cluster: RealCluster, names: { wedsync: string; weddings: string }): Promise<string> {
  const rbac = inNamespaces(renderOverlay('agent/deploy'), names).filter((o) => ['ServiceAccount', 'Role', 'RoleBinding'].includes(o.kind));
  await cluster.admin.apply(rbac);
  return `system:serviceaccount:${names.wedsync}:wedsync-agent`;
}
