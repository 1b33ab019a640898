/**
 * Preloaded into the agent by bench:footprint (`node --require`): measures the event-loop delay over the
 * steady-state window from inside the process, independently of the agent's own metrics (which reset
 * their histogram at every collection). SIGUSR2 starts the window; the figures go to $BENCH_LAG_FILE.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_LAG_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  process.on('SIGUSR2', () => h.reset());
  const write = () =>
    writeFileSync(file, JSON.stringify({ p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6, meanMs: h.mean / 1e6, memory: process.memoryUsage() }));
  setInterval(write, 1000).unref();
  write();
}
