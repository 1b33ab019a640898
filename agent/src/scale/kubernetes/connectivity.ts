/**
 * Whether the API server is answering, as the agent's own calls see it: every KubeApi call's outcome
 * updates `state.info.kubernetes`, which /readyz and GET /status show. A call the server answered counts
 * as connected, a refusal included (403, 404, 409: the server is there and said no); no answer at all
 * (refused connection, timeout), a 5xx (etcd gone behind it) or a 408 is "unreachable"; a 429 is
 * "throttled" (API Priority and Fairness, --max-requests-inflight). The state changes on the first call
 * that differs, and keeps the instant it began, so "unreachable since" is when the outage was first seen.
 */
import type { KubernetesStatus } from '../../state';
import { KubeApiError } from '../../contracts/kube-errors';
import type { KubeApi } from '../../contracts/kube-api';

export function classifyKubeOutcome(err: unknown): KubernetesStatus['state'] {
  if (err === undefined) return 'connected';
  if (!(err instanceof KubeApiError)) return 'unreachable';
  if (err.status === 429) return 'throttled';
  if (err.status >= 500 || err.status === 408) return 'unreachable';
  return 'connected';
}

/** `api` with each call's outcome reported to `publish` (only when the state changes). */
export function withConnectivity(api: KubeApi, clock: () => number, publish: (s: KubernetesStatus) => void): KubeApi {
  let current: KubernetesStatus | null = null;
  const observe = (err: unknown) => {
    const state = classifyKubeOutcome(err);
    const error = state === 'connected' ? null : err instanceof Error ? err.message : String(err);
    if (current?.state === state && (state === 'connected' || current.error === error)) return;
    current = { state, sinceMs: current?.state === state ? current.sinceMs : clock(), error };
    publish(current);
  };
  // A Proxy, so methods on a class's prototype (the in-memory API, test doubles) are wrapped too.
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'ready') return value;
      return async (...args: unknown[]) => {
        try {
          const out: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          observe(undefined);
          return out;
        } catch (err) {
          observe(err);
          throw err;
        }
      };
    },
  });
}

export { describeKubernetes } from '../../state';
