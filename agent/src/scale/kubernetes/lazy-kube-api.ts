/**
 * A KubeApi whose real implementation is built on first use: loading @kubernetes/client-node is an
 * async `import()`, but the agent is wired synchronously. `ready()` surfaces a load failure (no
 * service-account token, unreadable kubeconfig) at start-up instead of at the first tick.
 */
import type { KubeApi } from '../../contracts/kube-api';

const METHODS = [
  'readWorkload',
  'listHpas',
  'patchHpaMinReplicas',
  'patchWorkloadReplicas',
  'patchWorkloadAnnotations',
  'createEvent',
  'readLease',
  'createLease',
  'replaceLease',
  'readConfigMap',
  'createConfigMap',
  'replaceConfigMap',
  'listNodes',
] as const satisfies ReadonlyArray<keyof KubeApi>;

export type LazyKubeApi = KubeApi & { ready(): Promise<KubeApi> };

export function lazyKubeApi(build: () => Promise<KubeApi>): LazyKubeApi {
  let loading: Promise<KubeApi> | null = null;
  const ready = () => (loading ??= build());
  const api = { ready } as LazyKubeApi;
  for (const m of METHODS) {
    (api as unknown as Record<string, unknown>)[m] = async (...args: unknown[]) => {
      const real = await ready();
      return (real[m] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  return api;
}
