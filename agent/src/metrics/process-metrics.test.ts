/** prom-client's process and Node.js metrics on the agent's own /metrics (the demo agent, port 0). */
import { createDemoAgent, DEMO_START } from '../cli/demo';

it('GET /metrics carries process_* and nodejs_* under their conventional names', async () => {
  const agent = createDemoAgent({ port: 0, speed: 60, start: DEMO_START, apiTokens: 'viewer:viewer-token-0123456789' });
  const { port } = await agent.start();
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_open_fds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_eventloop_lag_max_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_heap_space_size_used_bytes',
      'nodejs_gc_duration_seconds',
      'nodejs_version_info',
    ])
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    expect(Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1])).toBeGreaterThan(10 * 2 ** 20);
  } finally {
    await agent.stop();
  }
});
