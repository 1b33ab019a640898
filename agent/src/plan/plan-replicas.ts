/**
 * planReplicas: the replica count for one target, as a pure function of (inputs, policy, now). No I/O,
 * no clock: the loop and the replay call it the same way. Two instants come in: `nowMs` (wall) for what
 * the forecast and calendar say about now, and `input.monoMs` (monotonic) for everything measured as
 * elapsed time since an earlier tick, so a wall-clock step cannot widen a step limit or a window. Every rule that shapes the number says so in
 * `reasons`. Order (each rule in its own file):
 *   1. demand: reactive (HPA v2 rule), predictive (forecast peak one start-up ahead) and the calendar's
 *      announced steps → the highest; or, on missing/stale load, the fail-safe hold
 *   2. calendar floors: peak-season pre-scale, reserved headroom for wedding-critical targets
 *   3. unannounced surge: extrapolate a detected rise one start-up ahead (kept out of stabilisation,
 *      so capacity comes back down as soon as the rise has passed); burst headroom: room for the rise
 *      the series has recently made within one start-up (also kept out of stabilisation)
 *   4. scale-down stabilisation, then the gradual post-wedding ramp-down, then the step limits; no
 *      scale-down while the load is rising
 *   5. no scale-down: Saturday protection, freeze override, fail-safe; floor override; a lost peer
 *      cluster's failover floor (and no scale-down while the fleet's data is missing)
 *   6. min/max bounds; a pin override last
 */
import type { PlanPolicy } from '../config/schema';
import { Draft } from './draft';
import { holdOnMissingData, neverScaleDownWhileHolding } from './fail-safe';
import { burstHeadroomDetail, burstHeadroomNeed, learnBursts, type BurstState } from './burst-headroom';
import { applyBounds, applyStabilisation, applyStepLimits, windowRecommendations } from './limits';
import { applyFreezeAndFloor, applyPin } from './overrides';
import { applyPeerFailover, peerFailover } from './peer-failover';
import { calendarStepReplicas, predictiveReplicas } from './predictive';
import { applyPostWeddingRampdown, applySaturdayProtection } from './protections';
import { priceProtections } from './protection-cost';
import { reactiveReplicas } from './reactive';
import { holdWhileRising } from './rising-hold';
import { saturdayHoldInputs } from './saturday-hold';
import { forecastFor, forecastSoon, rememberLoad, surgeReplicas, type SurgeOutcome } from './surge';
import type { Decision, PlanInput, PlanResult } from './types';
import { applyPeakSeasonFloor, applyWeddingHeadroom, calendarFloor } from './wedding-floors';

export { replicasFor } from './draft';

export function planReplicas(input: PlanInput, policy: PlanPolicy, nowMs: number): PlanResult {
  const { target, currentReplicas, observed, calendar, overrides, memory } = input;
  const mono = input.monoMs ?? nowMs;
  const leadMs = (input.measuredStartupSeconds ?? target.podStartupSeconds) * 1000;
  const floor = calendarFloor(target, policy, calendar.peakSeason);
  const holding = observed === null || !Number.isFinite(observed);
  const predictive = predictiveReplicas(target, input.forecast, nowMs, leadMs, policy.predictiveWindowSeconds * 1000, currentReplicas, policy.tolerance);

  // 1. Demand.
  let draft: Draft;
  let recentLoad = memory.recentLoad ?? [];
  let surge: SurgeOutcome = { answer: null, state: null };
  let burst: BurstState | null = memory.burst ?? null;
  let burstNeed: { replicas: number; rise: number } | null = null;
  // What the load seen this tick needs (0 when blind): the demand Saturday protection keeps capacity for.
  let observedNeed = 0;
  if (holding) {
    const hold = holdOnMissingData(currentReplicas, memory.lastGood, floor.replicas, predictive?.replicas ?? null);
    draft = new Draft(currentReplicas);
    draft.set('fail-safe', hold.replicas, hold.detail);
    draft.protect('stale_data');
  } else {
    const reactive = reactiveReplicas(target, currentReplicas, observed, policy.tolerance);
    observedNeed = reactive.replicas;
    draft = new Draft(currentReplicas);
    draft.set('reactive', reactive.replicas, reactive.detail);
    if (predictive && predictive.replicas > draft.desired) draft.set('predictive', predictive.replicas, predictive.detail);
    else if (predictive) draft.note('predictive', predictive.replicas, predictive.detail);
    // Calendar phases start on the minute: a one-minute scan of the window sees every step.
    const step = calendarStepReplicas(
      target,
      observed,
      calendar.expectedLoadAt,
      nowMs,
      leadMs,
      policy.predictiveWindowSeconds * 1000,
      60_000,
      policy.calendarStepScale,
    );
    if (step && step.replicas > draft.desired) draft.set('calendar-step', step.replicas, step.detail);
    recentLoad = rememberLoad(recentLoad, { tMs: mono, value: observed }, policy.surgeSlopeWindowSeconds * 1000);
    burst = learnBursts(burst, { tMs: mono, value: observed }, target.capacityPerPod, leadMs, policy.burstMemorySeconds * 1000);
    burstNeed = burstHeadroomNeed(target, policy, burst, observed);
    surge = surgeReplicas(target, policy, memory.surge ?? null, recentLoad, input.anomaly, forecastFor(memory.forecastSoon, nowMs), mono, leadMs);
  }

  // 2. Calendar floors.
  applyPeakSeasonFloor(draft, target, policy, floor);
  applyWeddingHeadroom(draft, target, policy, calendar.live);
  const recommendation = draft.desired;

  // 3. Surge (not a recommendation for stabilisation: it must be free to fall once the rise has passed).
  if (surge.answer && surge.answer.replicas > draft.desired) draft.set('surge', surge.answer.replicas, surge.answer.detail);
  else if (surge.answer) draft.note('surge', surge.answer.replicas, surge.answer.detail);
  // observed is a number whenever burstNeed is set (not holding).
  if (burstNeed && burstNeed.replicas > draft.desired) draft.set('burst-headroom', burstNeed.replicas, burstHeadroomDetail(policy, burstNeed.rise, observed!));

  // 4. Stabilisation, ramp-down, step limits.
  const recommendations = holding
    ? memory.recommendations
    : windowRecommendations(memory.recommendations, mono, recommendation, policy.scaleDownStabilizationSeconds);
  applyStabilisation(draft, recommendations, currentReplicas, policy.scaleDownStabilizationSeconds);
  applyPostWeddingRampdown(draft, policy, currentReplicas, memory.lastProtectedMs, memory.protectedReplicas ?? null, mono);
  applyStepLimits(draft, policy, currentReplicas, mono - (memory.lastTickMs ?? mono - policy.stepPeriodSeconds * 1000));
  if (!holding) holdWhileRising(draft, recentLoad, currentReplicas, policy.tolerance);

  // 5. No scale-down while protected, frozen or blind; operator floors.
  const hold = saturdayHoldInputs(policy, recommendation, observedNeed, memory.protectedPeak ?? null);
  const protectedPeak = applySaturdayProtection(draft, calendar.protecting, currentReplicas, hold.demandBacked, hold.previousPeak, hold.hold);
  // The freeze is the calendar's fact (computed once in the view); the planner passes it through.
  const deployFreeze = calendar.freeze.frozen;
  applyFreezeAndFloor(draft, overrides, currentReplicas);
  const failover = peerFailover(target, input.fleet, holding ? null : observed, currentReplicas, memory.peerFailover ?? null, nowMs);
  applyPeerFailover(draft, failover, currentReplicas);
  if (holding) neverScaleDownWhileHolding(draft, currentReplicas);
  // A failed read is missing data even while the last good reading is young: no scale-down on it.
  else if (input.readFailed) draft.atLeast('fail-safe', currentReplicas, 'load read failed this tick: acting on the last good reading, no scale-down');

  // 6. Bounds, then a pin.
  applyBounds(draft, target);
  applyPin(draft, overrides);

  const protectedNow = deployFreeze || (target.weddingCritical && calendar.live.length > 0);
  const decision: Decision = {
    targetId: target.id,
    atMs: nowMs,
    currentReplicas,
    desiredReplicas: draft.desired,
    reasons: input.price ? priceProtections(draft, input.price) : draft.reasons,
    protections: draft.protections,
    deployFreeze,
    holding,
  };
  return {
    decision,
    memory: {
      recommendations,
      lastGood: holding ? memory.lastGood : draft.desired,
      lastProtectedMs: protectedNow ? mono : memory.lastProtectedMs,
      protectedReplicas: protectedNow ? draft.desired : (memory.protectedReplicas ?? null),
      recentLoad,
      surge: surge.state,
      burst,
      lastTickMs: mono,
      protectedPeak,
      forecastSoon: forecastSoon(input.forecast, nowMs),
      peerFailover: failover.memory,
    },
  };
}
