/**
 * Load pushed to the agent (POST /api/v1/ingest) instead of scraped. Keeps the latest point per series
 * (name plus sorted labels), a bounded map; a target reads the series named by its `load.query`.
 */
import type { TargetConfig } from '../config/schema';
import type { LoadReading, LoadSource } from './source';
import { z } from 'zod';
import { positiveSeconds } from '../config/common';

/** This source's config (an entry of `sources`), composed by sources/registry.ts. */
export const pushSourceConfig = z.object({ type: z.literal('push'), staleAfterSeconds: positiveSeconds.default(120) }).strict();
export type PushSourceConfig = z.infer<typeof pushSourceConfig>;

export function seriesKey(name: string, labels: Record<string, string> = {}): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? `${name}{${keys.map((k) => `${k}="${labels[k]}"`).join(',')}}` : name;
}

export class PushSource implements LoadSource {
  readonly type = 'push';
  private readonly latest = new Map<string, { tMs: number; value: number }>();

  constructor(private readonly maxSeries = 100_000) {}

  /** Stores points (any order); returns how many were accepted. Older points than the latest are kept out. */
  ingest(name: string, labels: Record<string, string>, points: ReadonlyArray<readonly [number, number]>): number {
    const key = seriesKey(name, labels);
    let cur = this.latest.get(key);
    if (!cur && this.latest.size >= this.maxSeries) return 0;
    let accepted = 0;
    for (const [tMs, value] of points) {
      accepted++;
      if (!cur || tMs >= cur.tMs) cur = { tMs, value };
    }
    if (cur) this.latest.set(key, cur);
    return accepted;
  }

  get seriesCount(): number {
    return this.latest.size;
  }

  async read(target: TargetConfig, nowMs: number): Promise<LoadReading> {
    const p = this.latest.get(target.load.query);
    if (!p) return { ok: false, error: `no samples pushed for series ${target.load.query}`, atMs: nowMs };
    return { ok: true, value: p.value, atMs: p.tMs };
  }
}
