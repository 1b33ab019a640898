/**
 * The override form's rules, kept pure so they are tested without rendering: a draft as typed, checked
 * against the target's limits, becomes the exact POST /overrides body or a list of field errors.
 */
import type { OverrideRequest, OverrideType } from '../types';

export interface OverrideDraft {
  target: string;
  type: OverrideType;
  replicas: string;
  /** How long from the agent's "now": 90m, 2h, 1h30m, 1d. Ignored when untilWeddingEnds. */
  duration: string;
  untilWeddingEnds: boolean;
  reason: string;
}

export interface DraftLimits {
  /** The agent's clock (its demo runs faster than real time), as epoch ms. */
  nowMs: number;
  minReplicas?: number;
  maxReplicas?: number;
}

export type DraftErrors = Partial<Record<'target' | 'type' | 'replicas' | 'duration' | 'reason', string>>;

export type DraftResult = { ok: true; request: OverrideRequest; untilMs: number | null } | { ok: false; errors: DraftErrors };

const MAX_DURATION_MS = 7 * 24 * 3600_000;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3600_000, d: 86_400_000 };

/** "1h30m" → 5 400 000; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const s = text.trim().toLowerCase();
  if (!/^(\d+\s*[mhd]\s*)+$/.test(s)) {
    return null;
  }
  let total = 0;
  for (const m of s.matchAll(/(\d+)\s*([mhd])/g)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
  }
  return total;
}

export function validateDraft(d: OverrideDraft, limits: DraftLimits): DraftResult {
  const errors: DraftErrors = {};
  if (!d.target) {
    errors.target = 'choose a target';
  }
  if (!['pin', 'floor', 'freeze'].includes(d.type)) {
    errors.type = 'must be pin, floor or freeze';
  }

  let replicas: number | undefined;
  if (d.type !== 'freeze') {
    const r = d.replicas.trim();
    if (r === '') {
      errors.replicas = `required for a ${d.type}`;
    } else if (!/^\d+$/.test(r)) {
      errors.replicas = 'must be a whole number ≥ 0';
    } else {
      replicas = Number(r);
      // Only the maximum is a hard limit (as in the agent); a pin below minReplicas is the operator's call.
      if (limits.maxReplicas !== undefined && replicas > limits.maxReplicas) {
        errors.replicas = `must be at most the target's maximum (${limits.maxReplicas})`;
      }
    }
  }

  let untilMs: number | null = null;
  if (!d.untilWeddingEnds) {
    const ms = parseDuration(d.duration);
    if (ms === null) {
      errors.duration = 'write a duration such as 90m, 2h or 1h30m';
    } else if (ms <= 0) {
      errors.duration = 'must be longer than zero';
    } else if (ms > MAX_DURATION_MS) {
      errors.duration = 'must be at most 7 days';
    } else {
      untilMs = limits.nowMs + ms;
    }
  }

  const reason = d.reason.trim();
  if (reason.length < 3) {
    errors.reason = 'say why (at least 3 characters): it goes into the audit log';
  } else if (reason.length > 500) {
    errors.reason = 'must be at most 500 characters';
  }

  if (Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  const request: OverrideRequest = { target: d.target, type: d.type, reason };
  if (replicas !== undefined) {
    request.replicas = replicas;
  }
  if (d.untilWeddingEnds) {
    request.untilWeddingEnds = true;
  } else {
    request.until = new Date(untilMs!).toISOString();
  }
  return { ok: true, request, untilMs };
}

/** "2h 05m", "14m", "expired" — time left until an instant, on the agent's clock. */
export function formatTimeLeft(untilMs: number, nowMs: number): string {
  const left = untilMs - nowMs;
  if (left <= 0) {
    return 'expired';
  }
  const totalMin = Math.ceil(left / 60_000);
  const d = Math.floor(totalMin / 1440);
  const h = Math.floor((totalMin % 1440) / 60);
  const m = totalMin % 60;
  if (d > 0) {
    return `${d}d ${h}h`;
  }
  if (h > 0) {
    return `${h}h ${String(m).padStart(2, '0')}m`;
  }
  return `${m}m`;
}

export function describeRequest(r: OverrideRequest): string {
  const what =
    r.type === 'freeze'
      ? `Freeze ${r.target} at its current replicas`
      : r.type === 'pin'
        ? `Pin ${r.target} to ${r.replicas} replicas`
        : `Keep ${r.target} at ${r.replicas} replicas or more`;
  const until = r.untilWeddingEnds ? 'until the live wedding ends' : `until ${r.until}`;
  return `${what} ${until}. Reason: "${r.reason}"`;
}
