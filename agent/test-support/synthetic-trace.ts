/**
 * A small synthetic trace folder in the shared traces' format, for tests and trying the command without
 * the shared data: a daily rhythm with an evening step, one Saturday wedding and one unannounced surge.
 * Deterministic (hash noise), so a test's expectations hold run after run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Wedding } from '../src/calendar/model';
import type { TraceMeta } from '../src/replay/trace';

export interface SyntheticTraceOptions {
  start?: string;
  days?: number;
  /** Minute (from the start) a viral surge begins; null for none. */
  surgeAtMinute?: number | null;
  weddings?: Wedding[];
}

const noise = (n: number) => {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return ((x >>> 0) / 0xffffffff) * 2 - 1;
};

export function syntheticDemand(minutes: number, startMs: number, surgeAt: number | null): number[] {
  const out: number[] = [];
  for (let k = 0; k < minutes; k++) {
    const hour = new Date(startMs + k * 60_000).getUTCHours();
    let d = 100 + (hour >= 19 && hour < 23 ? 300 : 0) + (hour >= 9 && hour < 19 ? 60 : 0);
    if (surgeAt !== null && k >= surgeAt && k < surgeAt + 40) {
      const x = k - surgeAt;
      d += x < 8 ? 150 * x : 1200 * (1 - (x - 8) / 32);
    }
    out.push(Math.round(d * (1 + 0.04 * noise(k)) * 100) / 100);
  }
  return out;
}

export function writeSyntheticTrace(dir: string, opts: SyntheticTraceOptions = {}): { dir: string; meta: TraceMeta; demand: number[] } {
  const start = opts.start ?? '2027-06-04T00:00:00Z';
  const days = opts.days ?? 2;
  const startMs = Date.parse(start);
  const minutes = days * 1440;
  const demand = syntheticDemand(minutes, startMs, opts.surgeAtMinute === undefined ? 11 * 60 : opts.surgeAtMinute);
  const meta: TraceMeta = {
    podCapacityRps: 50,
    podStartupSeconds: 180,
    minReplicas: 2,
    maxReplicas: 100,
    targetUtilization: 0.7,
    stepSeconds: 60,
    start,
    minutes,
  };
  const weddings: Wedding[] = opts.weddings ?? [
    {
      id: 'w1',
      title: 'Saturday wedding',
      start: '2027-06-05T14:00:00+01:00',
      timezone: 'Europe/London',
      days: 1,
      guests: 150,
      tradition: 'british',
      vendors: 5,
    },
  ];
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, null, 1));
  writeFileSync(join(dir, 'calendar.json'), JSON.stringify({ weddings }, null, 1));
  const rows = demand.map((d, k) => `${new Date(startMs + k * 60_000).toISOString().replace('.000Z', 'Z')},${d}`);
  writeFileSync(join(dir, 'trace.csv'), ['timestamp,demand_rps', ...rows].join('\n') + '\n');
  return { dir, meta, demand };
}
