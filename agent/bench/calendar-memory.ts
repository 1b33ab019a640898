/**
 * bench:calendar — memory and event-loop block against calendar size (issue 24, defect 5). For 1, 1k,
 * 10k and 100k weddings, in iCalendar and JSON, a child process started with the pod's heap flags
 * (node-flags.ts: the Deployment's 192 MiB limit) reads the calendar through the CalendarStore and indexes
 * it as the refresher does, twice. Reported: the child's peak RSS and its growth over the bare process,
 * heap used after, the longest event-loop block, and the time per refresh. Median of BENCH_RUNS runs (3).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_NODE_FLAGS } from './node-flags';

const ZONES = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Africa/Lagos', 'Europe/Athens'];
const NOW = '2027-01-01T00:00:00Z';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? '1,1000,10000,100000').split(',').map(Number);

/** Weddings spread over about 3 years whatever their number, all upcoming. */
function weddingAt(i: number, n: number) {
  const start = new Date(Date.parse(NOW) + 86_400_000 + Math.floor((i * 3 * 365 * 86_400_000) / Math.max(1, n)));
  return {
    id: `w-${String(i).padStart(6, '0')}`,
    title: `C${i}`,
    start,
    timezone: ZONES[i % ZONES.length],
    days: i % 3 === 0 ? 3 : 1,
    guests: 100 + (i % 300),
    tradition: ['british', 'indian', 'greek'][i % 3],
    vendors: 8,
  };
}

function writeCalendars(dir: string, n: number): { json: string; ical: string } {
  const json = join(dir, `cal-${n}.json`);
  const ical = join(dir, `cal-${n}.ics`);
  const ws = Array.from({ length: n }, (_, i) => weddingAt(i, n));
  writeFileSync(json, JSON.stringify({ weddings: ws.map((w) => ({ ...w, start: w.start.toISOString().replace('.000Z', 'Z') })) }));
  const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace('.000Z', 'Z');
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//WedSync//bench//EN', 'X-WR-TIMEZONE:Europe/London'];
  for (const w of ws)
    lines.push(
      'BEGIN:VEVENT',
      `UID:${w.id}`,
      `SUMMARY:${w.title}`,
      `DTSTART:${stamp(w.start)}`,
      `X-WEDSYNC-DAYS:${w.days}`,
      `X-WEDSYNC-GUESTS:${w.guests}`,
      `X-WEDSYNC-TRADITION:${w.tradition}`,
      'END:VEVENT',
    );
  lines.push('END:VCALENDAR');
  writeFileSync(ical, lines.join('\r\n'));
  return { json, ical };
}

interface Result {
  ok: boolean;
  error: string | null;
  weddings: number;
  days: number;
  baseRssMiB: number;
  peakRssMiB: number;
  heapUsedMiB: number;
  maxBlockMs: number;
  refreshMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-bench-cal-'));
  const child = join(__dirname, 'calendar-memory-child.js');
  console.log(`node flags: ${AGENT_NODE_FLAGS.join(' ')}; ${RUNS} run(s) each, median`);
  console.log('| weddings | format | file | peak RSS | RSS growth | heap used after | longest event-loop block | per refresh |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const n of SIZES) {
    const files = writeCalendars(dir, n);
    for (const format of ['ical', 'json'] as const) {
      const runs: Result[] = [];
      for (let r = 0; r < RUNS; r++) {
        const out = execFileSync(process.execPath, [...AGENT_NODE_FLAGS, child, files[format], format, NOW], { encoding: 'utf8', maxBuffer: 1 << 20 });
        runs.push(JSON.parse(out.trim().split('\n').pop()!) as Result);
      }
      const bad = runs.find((x) => !x.ok || x.weddings !== n);
      if (bad) throw new Error(`${n} ${format}: ${bad.error ?? `read ${bad.weddings} weddings`}`);
      const m = (f: (x: Result) => number) => median(runs.map(f)).toFixed(1);
      const size = statSync(files[format]).size / 2 ** 20;
      console.log(
        `| ${n.toLocaleString('en')} | ${format} | ${size.toFixed(1)} MiB | ${m((x) => x.peakRssMiB)} MiB | +${m((x) => x.peakRssMiB - x.baseRssMiB)} MiB | ${m((x) => x.heapUsedMiB)} MiB | ${m((x) => x.maxBlockMs)} ms | ${(median(runs.map((x) => x.refreshMs)) / 1000).toFixed(2)} s |`,
      );
    }
  }
}

main();
