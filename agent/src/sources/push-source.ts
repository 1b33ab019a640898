/**
 * Load pushed to the agent (POST /api/v1/ingest) instead of scraped. Keeps the latest point per series
 * (name plus sorted labels), a bounded map; a target reads the series named by its `load.query`.
 *
 * No point may take a series over. The rules, checked against the receive time `nowMs`:
 * - a value must be finite and ≥ 0 (load is a rate or a count) — else `non_finite` / `negative`;
 * - a timestamp more than `maxClockSkewSeconds` ahead is refused (`future`); one within the skew is
 *   stored as received *now*, so a fast client clock can neither freeze the series (later points must
 *   only beat the receive time) nor keep a reading looking fresh after its sender has gone quiet;
 * - a point older than what the series held before this batch is refused (`out_of_order`); a batch
 *   itself may come in any order, and its newest point becomes the reading;
 * - equal timestamps: the last one received wins (a resend corrects a value).
 */
import type { TargetConfig } from '../config/schema';
import { emptyRejections, PUSH_REJECT_REASONS, seriesKey, type PushIngest, type PushIngestResult, type PushRejectReason } from '../contracts/push-ingest';
import type { LoadReading, LoadSource } from '../contracts/load-source';
import { z } from 'zod';
import { positiveSeconds } from '../config/common';

/** This source's config (an entry of `sources`), composed by sources/registry.ts. */
export const pushSourceConfig = z
  .object({
    type: z.literal('push'),
    staleAfterSeconds: positiveSeconds.default(120),
    /** How far ahead of the agent's clock a point may be stamped (clock skew); further is refused as `future`. */
    maxClockSkewSeconds: z.number().min(0).default(60),
  })
  .strict();
export type PushSourceConfig = z.infer<typeof pushSourceConfig>;

export interface PushSourceOptions {
  /** Series kept at most; points of further series are refused (`series_limit`). */
  maxSeries?: number;
  /** How far ahead of the agent's clock a point's timestamp may be (sender clock skew). */
  maxClockSkewSeconds?: number;
  /** How long the newest point may be trusted (the schema's default when unset). */
  staleAfterSeconds?: number;
}

export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 60;
/** The schema's default staleAfterSeconds, for a push source built without config. */
export const DEFAULT_STALE_AFTER_SECONDS = 120;

export { emptyRejections, PUSH_REJECT_REASONS, seriesKey, type PushIngestResult, type PushRejectReason };

export class PushSource implements LoadSource, PushIngest {
  readonly type = 'push';
  private readonly latest = new Map<string, { tMs: number; value: number }>();
  private readonly maxSeries: number;
  private readonly maxSkewMs: number;

  readonly staleAfterSeconds: number;

  constructor(opts: PushSourceOptions = {}) {
    this.staleAfterSeconds = opts.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS;
    this.maxSeries = opts.maxSeries ?? 100_000;
    this.maxSkewMs = (opts.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS) * 1000;
  }

  /**
   * Stores the newest acceptable point of `points`, received at `nowMs`; says what happened to each point.
   * `maxValue`: above it a value is `implausible` (contracts/plausible-load.ts: the watching targets' bound).
   */
  ingest(name: string, labels: Record<string, string>, points: ReadonlyArray<readonly [number, number]>, nowMs: number, maxValue = Infinity): PushIngestResult {
    const rejected = emptyRejections();
    // A series without labels is keyed by its name (seriesKey): no key to build for the common push.
    const key = isEmpty(labels) ? name : seriesKey(name, labels);
    const before = this.latest.get(key);
    if (!before && this.latest.size >= this.maxSeries) {
      rejected.series_limit = points.length;
      return { accepted: 0, rejected };
    }
    let accepted = 0;
    let next = before;
    for (const [tMs, value] of points) {
      const reason = this.refusal(tMs, value, before, nowMs) ?? (value > maxValue ? 'implausible' : null);
      if (reason) {
        rejected[reason]++;
        continue;
      }
      accepted++;
      const at = Math.min(tMs, nowMs);
      if (!next || at >= next.tMs) next = { tMs: at, value };
    }
    if (next) this.latest.set(key, next);
    return { accepted, rejected };
  }

  private refusal(tMs: number, value: number, before: { tMs: number } | undefined, nowMs: number): PushRejectReason | null {
    if (!Number.isFinite(value)) return 'non_finite';
    if (value < 0) return 'negative';
    if (tMs > nowMs + this.maxSkewMs) return 'future';
    if (before && Math.min(tMs, nowMs) < before.tMs) return 'out_of_order';
    return null;
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

function isEmpty(labels: Record<string, string>): boolean {
  for (const k in labels) if (Object.prototype.hasOwnProperty.call(labels, k)) return false;
  return true;
}
