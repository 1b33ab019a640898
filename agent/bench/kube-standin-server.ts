/** The Kubernetes API stand-in (test/support) in its own process for bench:kube; commands over IPC. */
import { KubeApiStandIn } from '../../test/support/kube-api-standin';

interface Command {
  id: number;
  cmd: 'put' | 'get' | 'requests' | 'reset';
  path?: string;
  obj?: unknown;
}

async function main(): Promise<void> {
  const standIn = new KubeApiStandIn();
  const url = await standIn.start();
  process.on('message', (m: Command) => {
    let result: unknown = null;
    if (m.cmd === 'put') result = standIn.put(m.path!, m.obj);
    else if (m.cmd === 'get') result = standIn.get(m.path!) ?? null;
    else if (m.cmd === 'requests') result = standIn.requests.length;
    else if (m.cmd === 'reset') standIn.requests.length = 0;
    process.send!({ id: m.id, result });
  });
  process.on('disconnect', () => void standIn.stop().then(() => process.exit(0)));
  process.send!({ url });
}

void main();
