/**
 * One measurement of bench:calendar, in a process of its own started with the pod's heap flags: reads a
 * generated calendar of N weddings through the CalendarStore and indexes it as the refresher does, twice
 * (the second refresh is where the 100k calendar used to abort), sampling RSS every 20 ms and the event
 * loop's longest block (perf_hooks.monitorEventLoopDelay). Prints one JSON line.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CalendarStore } from '../src/sources/calendar-store';
import { indexCalendar } from '../src/calendar/rules';
import { weddingRulesSchema } from '../src/config/schema';

async function main(): Promise<void> {
  const [file, format, nowIso] = process.argv.slice(2);
  const rules = weddingRulesSchema.parse({});
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const store = new CalendarStore(
    [{ format: format as 'json' | 'ical', location: file }],
    '/',
    () => Date.parse(nowIso),
    fetch,
    10_000,
    undefined,
    undefined,
    undefined,
    Number(process.env.BENCH_MAX_WEDDINGS ?? 1_000_000),
  );
  const t0 = performance.now();
  let days = 0;
  const refreshes = Number(process.env.BENCH_REFRESHES ?? 2);
  for (let i = 0; i < refreshes; i++) {
    const index = indexCalendar(await store.refresh(), rules);
    days = index.parts.reduce((n, p) => n + p.dayCount, 0);
  }
  const wallMs = (performance.now() - t0) / refreshes;
  loop.disable();
  clearInterval(sampler);
  const [st] = store.status.values();
  const heapUsed = process.memoryUsage().heapUsed;
  process.stdout.write(
    JSON.stringify({
      ok: st.ok,
      error: st.lastError,
      weddings: st.weddings,
      days,
      baseRssMiB: baseRss / 2 ** 20,
      peakRssMiB: peakRss / 2 ** 20,
      heapUsedMiB: heapUsed / 2 ** 20,
      maxBlockMs: loop.max / 1e6,
      refreshMs: wallMs,
    }) + '\n',
  );
}

void main();
