/**
 * Simulated wedding traffic for the demo and tests: a daily and weekly planning rhythm, the load of the
 * calendar's weddings through their phases, deterministic noise and unannounced surges (viral spikes).
 * The value is a pure function of (target, instant), so a demo played faster than real time, a test and
 * a replay all see the same traffic.
 */
import { DateTime } from 'luxon';
import type { TargetConfig } from '../config/schema';
import { expectedWeddingLoad, type CalendarIndex } from '../calendar/rules';
import type { LoadReading, LoadSource } from '../contracts/load-source';
import { z } from 'zod';

/** This source's config (an entry of `sources`), composed by sources/registry.ts. */
export const simulatorSourceConfig = z
  .object({
    type: z.literal('simulator'),
    /** Base load (per target, in its unit) before the daily/weekly rhythm and weddings. */
    baseLoad: z.number().nonnegative().default(100),
    /** Load per expected-wedding-load unit (see wedding.perGuestLoad). */
    weddingScale: z.number().nonnegative().default(1),
    noise: z.number().min(0).max(1).default(0.05),
    seed: z.number().int().default(42),
    /** Unannounced surges (viral spikes) at these ISO instants, each `durationMinutes` long. */
    surges: z
      .array(z.object({ at: z.iso.datetime({ offset: true }), durationMinutes: z.number().positive(), factor: z.number().positive() }).strict())
      .default([]),
  })
  .strict();
export type SimulatorSourceConfig = z.infer<typeof simulatorSourceConfig>;

export interface SimulatorOptions {
  baseLoad: number;
  weddingScale: number;
  noise: number;
  seed: number;
  surges: Array<{ at: string; durationMinutes: number; factor: number }>;
  /** The calendar the simulated platform serves (shared with the agent: the demo's planners told the truth). */
  calendar: () => CalendarIndex;
  /** Time zone of the planning rhythm (evenings and weekends). */
  timezone?: string;
}

/** Deterministic noise in [-1, 1] from an integer (a 32-bit integer hash). */
function hashNoise(n: number): number {
  let x = (n | 0) ^ 0x9e3779b9;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  return ((x >>> 0) / 0xffffffff) * 2 - 1;
}

export class SimulatorSource implements LoadSource {
  readonly type = 'simulator';
  private readonly surges: Array<{ startMs: number; endMs: number; factor: number }>;

  constructor(private readonly opts: SimulatorOptions) {
    this.surges = opts.surges.map((s) => {
      const startMs = Date.parse(s.at);
      return { startMs, endMs: startMs + s.durationMinutes * 60_000, factor: s.factor };
    });
  }

  /** Planning rhythm: quiet nights, busy evenings, busier weekends. */
  private rhythm(t: number): number {
    const local = DateTime.fromMillis(t, { zone: this.opts.timezone ?? 'UTC' });
    const hour = local.hour + local.minute / 60;
    const daily = 0.55 + 0.45 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) + (hour >= 18 && hour < 23 ? 0.25 : 0);
    const weekly = local.weekday >= 6 ? 1.3 : 1.0;
    return daily * weekly;
  }

  private surgeFactor(t: number): number {
    let f = 1;
    for (const s of this.surges) {
      if (t < s.startMs || t >= s.endMs) continue;
      // A fast rise and a slower decay, as shares of a viral post do.
      const x = (t - s.startMs) / (s.endMs - s.startMs);
      const shape = x < 0.2 ? x / 0.2 : 1 - (x - 0.2) / 0.8;
      f += (s.factor - 1) * shape;
    }
    return f;
  }

  loadAt(target: TargetConfig, t: number): number {
    const minute = Math.floor(t / 60_000);
    const weddings = expectedWeddingLoad(this.opts.calendar(), t, target.timezones) * this.opts.weddingScale;
    const base = this.opts.baseLoad * this.rhythm(t);
    const noise = 1 + this.opts.noise * hashNoise(minute * 31 + this.opts.seed + target.id.length);
    return Math.max(0, (base + weddings) * this.surgeFactor(t) * noise);
  }

  async read(target: TargetConfig, nowMs: number): Promise<LoadReading> {
    return { ok: true, value: this.loadAt(target, nowMs), atMs: nowMs };
  }

  async history(target: TargetConfig, fromMs: number, toMs: number, stepMs: number) {
    const out = [];
    for (let t = fromMs; t < toMs; t += stepMs) out.push({ tMs: t, value: this.loadAt(target, t) });
    return out;
  }
}
