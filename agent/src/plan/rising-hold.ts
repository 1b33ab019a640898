/**
 * No scale-down while the load is rising. Removals act at once but additions take a start-up, so pods
 * given up in the middle of a rise (say, a surge's extrapolation a minute ago asked for more than this
 * minute's) are missing exactly when the rise arrives, and cannot be had back in time. While the load has
 * risen by more than the tolerance over the slope window, the count running is kept; once it stops
 * rising, the other rules (stabilisation, step limits) bring capacity down as usual.
 */
import type { Draft } from './draft';
import { recentGrowth, type LoadPoint } from './surge';

export function holdWhileRising(draft: Draft, recent: readonly LoadPoint[], currentReplicas: number, tolerance: number): void {
  if (draft.desired >= currentReplicas) return;
  const growth = recentGrowth(recent);
  if (!growth || growth.ratio <= 1 + tolerance) return;
  draft.set('rising-hold', currentReplicas, `load rose ×${growth.ratio.toFixed(2)} in ${Math.round(growth.spanMs / 1000)}s: no scale-down during a rise`);
}
