/**
 * Fail-safe: missing or stale load is not zero load. The planner holds the last decision made on good
 * data (never below what runs now), keeps the calendar's floor and the forecast's answer if there is one,
 * and never scales down until good data returns.
 */
import type { Draft } from './draft';

export function holdOnMissingData(
  currentReplicas: number,
  lastGood: number | null,
  calendarFloor: number,
  forecastReplicas: number | null,
): { replicas: number; detail: string } {
  const replicas = Math.max(currentReplicas, lastGood ?? currentReplicas, calendarFloor, forecastReplicas ?? 0);
  const parts = [`current ${currentReplicas}`, `last good ${lastGood ?? 'none'}`, `calendar floor ${calendarFloor}`];
  if (forecastReplicas !== null) parts.push(`forecast ${forecastReplicas}`);
  return { replicas, detail: `load missing or stale: holding the highest of ${parts.join(', ')}; no scale-down` };
}

/** The last word while holding: whatever the other rules said, no scale-down on missing data. */
export function neverScaleDownWhileHolding(draft: Draft, currentReplicas: number): void {
  draft.atLeast('fail-safe', currentReplicas, 'load missing or stale: no scale-down');
}
