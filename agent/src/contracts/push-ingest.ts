/**
 * A load source that accepts pushed samples (POST /api/v1/ingest): the API feeds it through this
 * contract and never imports the push source itself.
 */
import type { LoadSource } from './load-source';

export function seriesKey(name: string, labels: Record<string, string> = {}): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? `${name}{${keys.map((k) => `${k}="${labels[k]}"`).join(',')}}` : name;
}

/** Why a pushed point was not stored; the ingest answer and `wedsync_agent_ingest_points_rejected_total` use these. */
export const PUSH_REJECT_REASONS = ['future', 'out_of_order', 'negative', 'non_finite', 'series_limit', 'implausible'] as const;
export type PushRejectReason = (typeof PUSH_REJECT_REASONS)[number];

export interface PushIngestResult {
  accepted: number;
  rejected: Record<PushRejectReason, number>;
}

export function emptyRejections(): Record<PushRejectReason, number> {
  return { future: 0, out_of_order: 0, negative: 0, non_finite: 0, series_limit: 0, implausible: 0 };
}

export interface PushIngest {
  /**
   * Stores the newest acceptable point of `points`, received at `nowMs`; says what happened to each point.
   * `maxValue`: above it a value is `implausible` (contracts/plausible-load.ts: the watching targets' bound).
   */
  ingest(name: string, labels: Record<string, string>, points: ReadonlyArray<readonly [number, number]>, nowMs: number, maxValue?: number): PushIngestResult;
}

/** Whether a configured source takes pushed samples (a target may name a source that is not configured). */
export function acceptsPushes(source: LoadSource | undefined): source is LoadSource & PushIngest {
  return source !== undefined && typeof (source as Partial<PushIngest>).ingest === 'function';
}
