/**
 * A port already in use fails the agent's start-up before it joins leader election or ticks: a real
 * second listener on 127.0.0.1, the in-memory Kubernetes API (which records every call).
 */
import { createServer, type AddressInfo } from 'node:net';
import { Agent } from './agent';
import { ListenError } from '../api/listen';
import { parseConfig } from './config-load';
import { InMemoryKubeApi } from '../../test-support/in-memory-kube-api';
import { silentLogger } from '../util/logger';

const config = (port: number) =>
  parseConfig(
    [
      `agent: { mode: shadow, listen: { host: 127.0.0.1, port: ${port} }, logLevel: silent }`,
      'sources: { sim: { type: simulator } }',
      'forecast: { backfillHours: 0 }',
      'targets:',
      '  - { id: web, kubernetes: { namespace: ns, name: web }, load: { source: sim, query: web }, capacityPerPod: 10, maxReplicas: 5 }',
    ].join('\n'),
    'agent.yaml',
    {},
  );

it('a used port: start() rejects naming host:port and EADDRINUSE, with no Kubernetes call and no tick', async () => {
  const other = createServer();
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const { port } = other.address() as AddressInfo;
  const kubeApi = new InMemoryKubeApi();
  const agent = new Agent({ config: config(port), file: 'agent.yaml', baseDir: '.' }, { logger: silentLogger, kubeApi, env: {} });
  try {
    const err = await agent.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ListenError);
    expect((err as Error).message).toContain(`cannot listen on 127.0.0.1:${port}: address already in use`);
    expect((err as Error).message).toContain('EADDRINUSE');
    expect(kubeApi.calls).toEqual([]);
    expect(kubeApi.leases.size).toBe(0);
    expect(agent.state.info.ticks).toBe(0);
  } finally {
    await agent.stop();
    other.close();
  }
});
