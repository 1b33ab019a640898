/**
 * Calendar floors: in peak season the baseline floor (minReplicas) is pre-scaled; while weddings a
 * wedding-critical target serves are live it keeps reserved headroom above what demand alone asks for.
 */
import type { PlanPolicy, TargetConfig } from '../config/schema';
import type { LiveWedding } from '../calendar/rules';
import type { Draft } from './draft';

/** minReplicas, raised by the peak-season pre-scale when the target's region is in season. */
export function calendarFloor(target: TargetConfig, policy: PlanPolicy, inPeakSeason: boolean): { replicas: number; peakSeason: boolean } {
  const peakSeason = policy.peakSeasonPreScale > 0 && inPeakSeason;
  return { replicas: peakSeason ? Math.ceil(target.minReplicas * (1 + policy.peakSeasonPreScale) - 1e-9) : target.minReplicas, peakSeason };
}

export function applyPeakSeasonFloor(draft: Draft, target: TargetConfig, policy: PlanPolicy, floor: { replicas: number; peakSeason: boolean }): void {
  if (!floor.peakSeason) return;
  draft.protect('peak_season');
  // draft.atLeast, with the sentence written only when the floor binds (asked every tick in season).
  if (draft.desired < floor.replicas)
    draft.set('peak-season', floor.replicas, `peak season (${target.region}): floor minReplicas ${target.minReplicas} × ${1 + policy.peakSeasonPreScale}`);
}

export function applyWeddingHeadroom(draft: Draft, target: TargetConfig, policy: PlanPolicy, live: readonly LiveWedding[]): void {
  if (!target.weddingCritical || policy.weddingHeadroom <= 0) return;
  if (!live.length) return;
  draft.protect('wedding_headroom');
  draft.set(
    'wedding-headroom',
    Math.ceil(draft.desired * (1 + policy.weddingHeadroom) - 1e-9),
    `${live.length} wedding(s) live: +${Math.round(policy.weddingHeadroom * 100)}% reserved headroom`,
  );
}
