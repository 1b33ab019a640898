/**
 * One candidate's schedule from a target's recording (recorded-inputs.ts): the planner loop alone, fed
 * per step exactly what the replay's pipeline (engine/target-pipeline.ts) would feed it, and the
 * in-memory cluster's answer (it runs what was asked for at once; a replay measures no start-up). About
 * the planner's cost per step, instead of a whole agent with its forecaster.
 */
import type { ComposedConfig } from '../app/config-schema';
import type { PlanPolicy, TargetConfig } from '../config/schema';
import { policyFor } from '../config/target-policy';
import type { ForecastPoint } from '../forecast/forecaster';
import { checkFinite } from '../forecast/finite-forecast';
import { planReplicas } from '../plan/plan-replicas';
import { EMPTY_MEMORY, type PlanMemory } from '../plan/types';
import type { RecordedInputs } from './recorded-inputs';

/** What one candidate changes: its target (utilisation), its policy, and the forecast points it asks for. */
export interface CandidatePlan {
  target: TargetConfig;
  policy: PlanPolicy;
  forecastSteps: number;
  windowSeconds: number;
}

/** A candidate's plan from the config its full replay would run with (replay-config.ts). */
export function candidatePlan(config: ComposedConfig): CandidatePlan {
  const target = config.targets[0];
  const policy = policyFor(config.policy, target);
  const stepMs = config.forecast.stepSeconds * 1000;
  return { target, policy, forecastSteps: Math.ceil((config.forecast.horizonHours * 3_600_000) / stepMs), windowSeconds: policy.predictiveWindowSeconds };
}

/** The recording cannot answer what the planner asked: the candidate needs a wider recording (a bug, never a result). */
export class RecordingGapError extends Error {}

export function playCandidate(rec: RecordedInputs, plan: CandidatePlan): Int32Array {
  const { target, policy } = plan;
  if (plan.forecastSteps > rec.horizon && rec.horizon > 0)
    throw new RecordingGapError(`candidate asks for ${plan.forecastSteps} forecast points; the recording kept ${rec.horizon}`);
  if ((target.podStartupSeconds * 1000 !== rec.leadMs || policy.predictiveWindowSeconds > (rec.stepLoadCount - 1) * 60) && rec.stepLoad)
    throw new RecordingGapError('candidate looks further ahead in the calendar than the recording kept');
  const out = new Int32Array(rec.steps);
  let replicas = target.minReplicas;
  let memory: PlanMemory = EMPTY_MEMORY;
  for (let k = 0; k < rec.steps; k++) {
    const nowMs = rec.startMs + k * rec.stepMs;
    const facts = rec.calendars[rec.calendarAt[k]];
    const expectedLoadAt = (tMs: number): number => {
      if (tMs === nowMs) return facts.expectedLoad;
      if (!rec.stepLoad) return 0;
      const j = (tMs - nowMs - rec.leadMs) / 60_000;
      if (!Number.isInteger(j) || j < 0 || j >= rec.stepLoadCount)
        throw new RecordingGapError(`the planner asked the calendar about ${tMs}, which the recording did not keep`);
      return rec.stepLoad[k * rec.stepLoadCount + j];
    };
    const kind = rec.anomalyKind[k];
    const observed = rec.observed[k];
    try {
      const { decision, memory: next } = planReplicas(
        {
          target,
          currentReplicas: replicas,
          observed: observed === observed ? observed : null,
          readFailed: rec.readFailed[k] === 1,
          forecast: forecastAt(rec, k, plan.forecastSteps, nowMs),
          calendar: { ...facts, expectedLoadAt },
          overrides: [],
          memory,
          anomaly: kind ? { kind: rec.anomalyKinds[kind - 1], score: rec.anomalyScore[k] } : undefined,
          monoMs: nowMs,
          price: rec.price,
        },
        policy,
        nowMs,
      );
      memory = next;
      replicas = decision.desiredReplicas;
    } catch (err) {
      // As the loop: a failed tick changes nothing. A recording that cannot answer is a bug: loud.
      if (err instanceof RecordingGapError) throw err;
    }
    out[k] = replicas;
  }
  return out;
}

/** The step's forecast, as the candidate's own horizon would have asked for it; [] when none or refused (not finite). */
function forecastAt(rec: RecordedInputs, k: number, steps: number, nowMs: number): ForecastPoint[] {
  const len = Math.min(rec.forecastLength[k], steps);
  if (len < 0) return [];
  const points = new Array<ForecastPoint>(len);
  for (let i = 0; i < len; i++) {
    const o = (k * rec.horizon + i) * 3;
    points[i] = { tMs: nowMs + (i + 1) * rec.stepMs, value: rec.forecast[o], lower: rec.forecast[o + 1], upper: rec.forecast[o + 2] };
  }
  return 'forecast' in checkFinite({ points, method: '', coldStart: false }) ? points : [];
}
