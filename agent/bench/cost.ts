/**
 * `npm run bench:cost`: what detection and prediction cost the agent.
 *  - detector updates per second on one core, 10,000 series fed round-robin (as the loop feeds targets),
 *    and heap per series;
 *  - forecaster per target: one 48 h forecast at a 60 s step with a real calendar index, after 14 days of
 *    backfilled history; heap per forecaster.
 * Each figure is the median of 5 runs. Run with --expose-gc (the npm script does) for the heap figures.
 */
import { createDetector } from '../src/detect/combined-detector';
import { createForecaster, DEFAULT_FORECASTER_OPTIONS } from '../src/forecast/seasonal-calendar-forecaster';
import { expectedWeddingLoad, indexCalendar } from '../src/calendar/rules';
import { weddingRulesSchema } from '../src/config/schema';
import type { Wedding } from '../src/calendar/model';
import type { ForecastContext } from '../src/forecast/forecaster';

const SERIES = 10_000;
const ROUNDS = 300;
const STEP = 15_000;
const T0 = Date.UTC(2027, 4, 3);

const gc = (globalThis as { gc?: () => void }).gc;
const heap = (): number => {
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers; // typed arrays live outside the JS heap
};
const jsHeap = (): number => {
  gc?.();
  return process.memoryUsage().heapUsed;
};
const median = (xs: number[]): number => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

function detectorRun(): { perSecond: number; bytesPerSeries: number } {
  const before = heap();
  const detectors = Array.from({ length: SERIES }, () => createDetector());
  // Warm every series past its warm-up so the timed part is the steady state.
  for (let r = 0; r < 60; r++) for (let s = 0; s < SERIES; s++) detectors[s].update(T0 + r * STEP, 100 + (s % 7) + Math.sin(r + s));
  const bytesPerSeries = (heap() - before) / SERIES;
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let r = 60; r < 60 + ROUNDS; r++) {
    const t = T0 + r * STEP;
    for (let s = 0; s < SERIES; s++) sink += detectors[s].update(t, 100 + (s % 7) + Math.sin(r + s) + (r === 200 && s % 100 === 0 ? 500 : 0)).score;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sink < 0) console.log(sink);
  return { perSecond: (SERIES * ROUNDS) / seconds, bytesPerSeries };
}

function forecasterRun(): { forecastMs: number; refitMs: number; observeNs: number; bytesPerTarget: number } {
  const weddings: Wedding[] = [];
  for (let d = 0; d < 28; d++) {
    for (let k = 0; k < 40; k++) {
      const start = new Date(T0 + d * 86_400_000 + (10 + (k % 8)) * 3_600_000).toISOString().replace('Z', '+00:00');
      weddings.push({ id: `w${d}-${k}`, title: '', start, timezone: 'Europe/London', days: 1, guests: 50 + k * 5, tradition: 'british', vendors: 3 });
    }
  }
  const index = indexCalendar({ weddings }, weddingRulesSchema.parse({}));
  const ctx: ForecastContext = { expectedWeddingLoad: (t) => expectedWeddingLoad(index, t) };
  const before = jsHeap();
  const f = createForecaster();
  const step = 60_000;
  const points = 14 * 1440;
  const started = process.hrtime.bigint();
  for (let i = 0; i < points; i++) {
    const t = T0 + i * step;
    f.observe(t, 100 + 30 * Math.sin((2 * Math.PI * i) / 1440) + ctx.expectedWeddingLoad(t));
  }
  const observeNs = Number(process.hrtime.bigint() - started) / points;
  const bytesPerTarget = jsHeap() - before;
  const now = T0 + points * step;
  const time = (at: number): number => {
    const s = process.hrtime.bigint();
    f.forecast(at, step, 48 * 60, ctx);
    return Number(process.hrtime.bigint() - s) / 1e6;
  };
  // The first call refits β and the bands (hourly) and fills the profile cache; the loop's next calls come a tick later.
  const refitMs = time(now);
  const ticks: number[] = [];
  for (let k = 1; k <= 20; k++) ticks.push(time(now + k * 15_000));
  return { forecastMs: median(ticks), refitMs, observeNs, bytesPerTarget };
}

function main(): void {
  if (!gc) console.log('(run with node --expose-gc for exact heap figures)');
  const d = Array.from({ length: 5 }, detectorRun);
  console.log(
    `detector: ${SERIES} series × ${ROUNDS} rounds, median of 5: ${Math.round(median(d.map((x) => x.perSecond))).toLocaleString('en')} updates/s on one core; ${Math.round(median(d.map((x) => x.bytesPerSeries))).toLocaleString('en')} bytes of heap per series`,
  );
  console.log(`  runs: ${d.map((x) => Math.round(x.perSecond / 1000) + 'k').join(', ')}`);
  const f = Array.from({ length: 5 }, forecasterRun);
  console.log(`forecaster per target (14 days at 60 s backfilled, 48 h forecast at 60 s = 2,880 points, 40 weddings/day calendar), median of 5:`);
  console.log(
    `  forecast: ${median(f.map((x) => x.forecastMs)).toFixed(1)} ms per tick (${median(f.map((x) => x.refitMs)).toFixed(0)} ms for the hourly refit call); backfill feed (incl. making the synthetic load): ${median(f.map((x) => x.observeNs)).toFixed(0)} ns per point`,
  );
  // The ring buffer is allocated whole up front (typed arrays: V8 frees their memory lazily, so a heap
  // delta under-counts it); the JS heap delta is the profile cache and the rest.
  const ringMb = (DEFAULT_FORECASTER_OPTIONS.capacity * 16) / 1e6;
  const jsMb = Math.max(0, median(f.map((x) => x.bytesPerTarget))) / 1e6;
  console.log(
    `  memory per target: ${ringMb.toFixed(2)} MB ring (${DEFAULT_FORECASTER_OPTIONS.capacity.toLocaleString('en')} points, fixed) + ${jsMb.toFixed(2)} MB JS heap measured (profile cache, capped at 50,000 entries)`,
  );
}

main();
