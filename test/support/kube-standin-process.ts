/** The Kubernetes API stand-in in its own process (agent/bench/kube-actuator.ts forks it); commands over IPC. */
import { KubeApiStandIn } from './kube-api-standin';

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
