import { classifyKubeOutcome, describeKubernetes, withConnectivity } from './connectivity';
import { kubeError } from '../../contracts/kube-errors';
import { InMemoryKubeApi } from '../../../test-support/in-memory-kube-api';
import type { KubernetesStatus } from '../../state';

const ref = { kind: 'Deployment' as const, namespace: 'n', name: 'api' };
const op = { verb: 'get' as const, resource: 'deployments', group: 'apps', namespace: 'n', name: 'api' };

describe("Kubernetes connectivity from the agent's own calls", () => {
  it.each([
    ['a success', 'connected', undefined],
    ['a refusal the server answered (403)', 'connected', kubeError(403, op)],
    ['a missing object (404)', 'connected', kubeError(404, op)],
    ['a conflict (409)', 'connected', kubeError(409, op)],
    ['throttling (429)', 'throttled', kubeError(429, op)],
    ['the server failing (503, etcd gone)', 'unreachable', kubeError(503, op)],
    ['a request timeout (408)', 'unreachable', kubeError(408, op)],
    ['no answer at all', 'unreachable', new Error('connect ECONNREFUSED 127.0.0.1:6443')],
  ])('%s: %s', (_what, state, err) => {
    expect(classifyKubeOutcome(err)).toBe(state);
  });

  it('publishes a change once, keeps when it began, and wraps methods of a class (the in-memory API)', async () => {
    const api = new InMemoryKubeApi();
    api.addWorkload(ref, { specReplicas: 3 });
    let now = 1000;
    const seen: KubernetesStatus[] = [];
    const watched = withConnectivity(
      api,
      () => now,
      (s) => seen.push(s),
    );
    await watched.readWorkload(ref);
    api.failNext('readWorkload', 503, 2);
    now = 2000;
    await expect(watched.readWorkload(ref)).rejects.toThrow(/503/);
    now = 3000;
    await expect(watched.readWorkload(ref)).rejects.toThrow(/503/);
    now = 4000;
    await watched.readWorkload(ref);
    expect(seen.map((s) => [s.state, s.sinceMs])).toEqual([
      ['connected', 1000],
      ['unreachable', 2000],
      ['connected', 4000],
    ]);
    expect(describeKubernetes(seen[1])).toMatch(/^unreachable since 1970-01-01T00:00:02\.000Z: .*HTTP 503/);
    expect(describeKubernetes(seen[2])).toBe('connected');
  });
});
