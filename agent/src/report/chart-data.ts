/**
 * What the report's interactive charts draw, per target (pure): time in seconds, demand, each policy's
 * ready capacity and the replicas it asked for, its overload, wedding and gap bands, and the "why" marks.
 * Weeks of minutes are more points than a chart needs, so steps are put in buckets of equal length; a
 * bucket keeps the highest demand, the lowest capacity and the most replicas asked of its minutes, so a
 * short overload or a jump is never smoothed away. Up to MAX_POINTS steps, every minute is its own bucket.
 */
import { readyReplicas, startupSteps } from '../replay/score';
import type { TargetReport } from './report-model';
import { SERIES_COLOURS } from './report-style';

export const MAX_POINTS = 6000;

export interface ChartSeries {
  name: string;
  label: string;
  colour: string;
  dash: boolean;
  /** Ready capacity (requests/s) per bucket. */
  capacity: number[];
  /** Replicas asked for per bucket. */
  replicas: number[];
  /** 1 where some minute of the bucket was overloaded. */
  overload: number[];
}

export interface ChartData {
  id: string;
  /** Minutes per bucket (1: every minute shown). */
  stepsPerPoint: number;
  /** Bucket start, Unix seconds. */
  t: number[];
  demand: number[];
  series: ChartSeries[];
  weddings: Array<{ from: number; to: number; title: string; protected: boolean }>;
  gaps: Array<[number, number]>;
  why: Array<{ t: number; until: number; rule: string; replicas: number; detail: string }>;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

export function chartData(r: TargetReport): ChartData {
  const n = r.steps;
  const per = Math.max(1, Math.ceil(n / MAX_POINTS));
  const buckets = Math.ceil(n / per);
  const sec = (ms: number) => Math.round(ms / 1000);
  const t = Array.from({ length: buckets }, (_, b) => sec(r.startMs + b * per * r.stepMs));
  const demand = new Array<number>(buckets).fill(0);
  for (let k = 0; k < n; k++) demand[Math.floor(k / per)] = Math.max(demand[Math.floor(k / per)], r.demand[k]);
  const lag = startupSteps(r.shape);
  const series = r.policies.map((p): ChartSeries => {
    const ready = readyReplicas(p.replicas, lag);
    const capacity = new Array<number>(buckets).fill(Infinity);
    const replicas = new Array<number>(buckets).fill(0);
    const overload = new Array<number>(buckets).fill(0);
    for (let k = 0; k < n; k++) {
      const b = Math.floor(k / per);
      const cap = ready[k] * r.shape.capacityPerPod;
      capacity[b] = Math.min(capacity[b], cap);
      replicas[b] = Math.max(replicas[b], p.replicas[k]);
      if (r.demand[k] - cap > 1e-9) overload[b] = 1;
    }
    return {
      name: p.name,
      label: p.label,
      colour: SERIES_COLOURS[p.name],
      dash: p.name === 'static_peak' || p.name === 'oracle',
      capacity: capacity.map(r2),
      replicas,
      overload,
    };
  });
  return {
    id: r.id,
    stepsPerPoint: per,
    t,
    demand: demand.map(r2),
    series,
    weddings: r.weddings.map((w) => ({ from: sec(w.startMs), to: sec(w.endMs), title: w.title, protected: w.protected })),
    gaps: r.gaps.ranges.map(([a, b]) => [sec(r.startMs + a * r.stepMs), sec(r.startMs + (b + 1) * r.stepMs)]),
    why: r.why.map((w) => ({ t: sec(w.atMs), until: sec(w.untilMs), rule: w.rule, replicas: w.replicas, detail: w.detail })),
  };
}
