/**
 * Child process of `npm run bench:api`: the operator API over a state shaped like a real agent's
 * (20 targets with forecasts, decisions, anomalies and overrides), on 127.0.0.1, port 0. Running it
 * apart from autocannon keeps the load generator off the server's event loop. Limits are raised so
 * the bench measures the API, not its own rate limiter.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startTestApi, HOUR, NOW } from '../src/api/__fixtures__/harness';

async function main(): Promise<void> {
  const api = await startTestApi(
    { rateLimitPerMinute: 100_000_000, ingestSamplesPerSecond: 1_000_000_000, ingestMaxConcurrent: 64, maxIngestSamples: 10_000 },
    { targetCount: 20 },
  );
  let i = 0;
  for (const id of api.state.targets.keys()) {
    api.state.importOverrides([
      {
        id: `o-${i++}`,
        targetId: id,
        type: 'floor',
        replicas: 6,
        untilMs: NOW + 2 * HOUR,
        untilWeddingEnds: false,
        reason: 'bench',
        author: 'bench',
        createdAtMs: NOW,
      },
    ]);
  }
  // Probes for the bench: the server's own event-loop delay and CPU time over a phase tell its share of
  // the latency apart from the machine's (scheduling, the load generator).
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let cpuAt = process.cpuUsage();
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'reset') {
      delay.reset();
      cpuAt = process.cpuUsage();
      process.send!({ ok: true });
    } else if (m.cmd === 'report') {
      const cpu = process.cpuUsage(cpuAt);
      process.send!({ loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
  });
  process.send!({ base: api.base, tokens: { operator: api.auth('operator'), viewer: api.auth('viewer') } });
  process.on('disconnect', () => void api.close().then(() => process.exit(0)));
}

void main();
