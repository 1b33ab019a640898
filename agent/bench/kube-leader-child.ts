/** A lone leader-elector process for bench:kube's crash failover: it leads, then the bench SIGKILLs it. */
import { createKubeApi, loadKubernetesClient, makeKubeConfig } from '../src/scale/kubernetes/client-adapter';
import { LeaseLeaderElector } from '../src/scale/kubernetes/leader-election';

async function main(): Promise<void> {
  const [url, identity, lease] = process.argv.slice(2);
  const k8s = await loadKubernetesClient();
  const api = createKubeApi(k8s, makeKubeConfig(k8s, { connection: 'options', options: kubeOptions(url) }));
  const elector = new LeaseLeaderElector(api, {
    namespace: 'wedsync',
    name: 'wedsync-agent',
    identity,
    leaseDurationSeconds: Number(lease),
    clock: Date.now,
    onChange: (l) => l && process.send!({ leading: true }),
  });
  elector.start();
  setInterval(() => undefined, 1000); // stay alive until killed
}

export function kubeOptions(url: string): object {
  return {
    clusters: [{ name: 'standin', server: url, skipTLSVerify: true }],
    users: [{ name: 'agent', token: 'bench-token' }],
    contexts: [{ name: 'standin', cluster: 'standin', user: 'agent' }],
    currentContext: 'standin',
  };
}

if (require.main === module) void main();
