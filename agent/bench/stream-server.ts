/**
 * Child process of `npm run bench:stream`: the operator API with GET /stream over 20 targets, ticking
 * once a real second. Each tick moves every target's load (so every tick sends 20 load events and some
 * decisions), stamps the tick with the real clock (events carry it as `at`, so a subscriber can tell the
 * delay from tick to receipt), and publishes. Reports its CPU time and RSS, and its open handles, on ask.
 */
import { startTestApi } from '../src/api/__fixtures__/harness';
import { StreamHub } from '../src/api/stream-hub';

async function main(): Promise<void> {
  const hub = new StreamHub({ maxSubscribers: 2000 });
  const api = await startTestApi({ rateLimitPerMinute: 100_000_000 }, { targetCount: 20, stream: hub });
  let n = 0;
  const tick = () => {
    n++;
    const now = Date.now();
    api.state.info.ticks = n;
    api.state.info.lastTickMs = now;
    let k = 0;
    for (const t of api.state.targets.values()) {
      t.observed = { value: 200 + 50 * Math.sin(n / 7 + k) + Math.random() * 10, atMs: now };
      if (t.decision && n % 5 === k % 5) t.decision = { ...t.decision, atMs: now, desiredReplicas: 5 + ((n + k) % 4) };
      k++;
    }
    hub.publish(api.state);
  };
  let timer: NodeJS.Timeout | null = null;
  let cpuAt = process.cpuUsage();
  let wallAt = performance.now();
  const handles = () => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'start-ticks') {
      timer ??= setInterval(tick, 1000);
      process.send!({ ok: true });
    } else if (m.cmd === 'stop-ticks') {
      if (timer) clearInterval(timer);
      timer = null;
      process.send!({ ok: true });
    } else if (m.cmd === 'reset') {
      cpuAt = process.cpuUsage();
      wallAt = performance.now();
      process.send!({ ok: true });
    } else if (m.cmd === 'report') {
      global.gc?.();
      const cpu = process.cpuUsage(cpuAt);
      process.send!({
        cpuMs: (cpu.user + cpu.system) / 1000,
        wallMs: performance.now() - wallAt,
        rssMiB: process.memoryUsage().rss / 2 ** 20,
        handles: handles(),
        subscribers: hub.size,
      });
    }
  });
  process.send!({ base: api.base, auth: api.auth('viewer') });
  process.on('disconnect', () => {
    hub.close();
    void api.close().then(() => process.exit(0));
  });
}

void main();
