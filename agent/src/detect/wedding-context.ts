/**
 * Wedding context for detectors. Announced load is removed before judging (see combined-detector), so
 * the only wedding-specific anomaly is the opposite one: the calendar promised load and it is missing —
 * "12 receptions, photo uploads flat" — which means a broken upload path, not a quiet day.
 */

/** Below this share of the promised excess, the excess counts as missing. */
const MISSING_SHARE = 0.5;

/**
 * Score in [0, 1] for "expected wedding load did not arrive" at one point. `predicted` is the baseline
 * plus the expected wedding load; `scale` is the series' typical error. Expected load smaller than a
 * few typical errors cannot be told from noise and scores 0.
 */
export function missingExpectedLoadScore(value: number, predicted: number, expected: number, scale: number): number {
  if (expected <= 0 || expected < 3 * scale) return 0;
  const baseline = predicted - expected;
  const arrivedShare = (value - baseline) / expected;
  if (arrivedShare >= MISSING_SHARE) return 0;
  // 0 at half the promised load, 1 when none of it came (or less than the baseline).
  const shortfall = (MISSING_SHARE - arrivedShare) / MISSING_SHARE;
  return shortfall > 1 ? 1 : shortfall;
}
