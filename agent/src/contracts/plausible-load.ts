/**
 * No value may poison the plan. One absurd sample (a Prometheus value of 1e308, an ingest of 1e39) fed to
 * the forecaster made its peak Infinity or ~1e36 and pinned the target at maxReplicas. A target's load
 * cannot plausibly exceed what its largest deployment serves, by a wide margin: maxReplicas ×
 * capacityPerPod × PLAUSIBLE_LOAD_FACTOR. Above that a value is a unit mistake or a broken exporter, never
 * a reason to scale: ingest refuses it (`implausible`), a source read above it is a failed read (the agent
 * holds, as for any failed read: never a scale-down on missing data), and backfilled history drops it.
 */
import type { TargetConfig } from '../config/schema';
import type { LoadReading } from './load-source';

/** How far above the target's whole capacity a load may be and still be believed. */
export const PLAUSIBLE_LOAD_FACTOR = 100;

export const plausibleLoadLimit = (t: Pick<TargetConfig, 'maxReplicas' | 'capacityPerPod'>): number => t.maxReplicas * t.capacityPerPod * PLAUSIBLE_LOAD_FACTOR;

export const isPlausibleLoad = (value: number, limit: number): boolean => Number.isFinite(value) && value >= 0 && value <= limit;

/** A reading whose value is not plausible for the target, turned into a failed read that says why. */
export function plausibleReading(reading: LoadReading, target: TargetConfig): LoadReading {
  if (!reading.ok) return reading;
  const limit = plausibleLoadLimit(target);
  if (isPlausibleLoad(reading.value, limit)) return reading;
  return {
    ok: false,
    atMs: reading.atMs,
    error: `load ${reading.value} is not plausible for target ${target.id} (above maxReplicas × capacityPerPod × ${PLAUSIBLE_LOAD_FACTOR} = ${limit}, or not a finite non-negative number): treated as a failed read`,
  };
}

/** History without its implausible points, and how many were dropped. */
export function plausibleHistory<P extends { value: number }>(points: readonly P[], target: TargetConfig): { points: P[]; dropped: number } {
  const limit = plausibleLoadLimit(target);
  const kept = points.filter((p) => isPlausibleLoad(p.value, limit));
  return { points: kept, dropped: points.length - kept.length };
}
