/** Shared fixtures for the actuator's unit tests (not loaded by the agent). */
import { targetSchema, type TargetConfig } from '../../../config/schema';
import type { Decision } from '../../../plan/types';

export function target(id = 'shop-api', over: Record<string, unknown> = {}): TargetConfig {
  return targetSchema.parse({
    id,
    kubernetes: { namespace: 'shop', name: id },
    load: { source: 'prometheus', query: 'sum(rate(http_requests_total[1m]))' },
    capacityPerPod: 50,
    maxReplicas: 40,
    ...over,
  });
}

export function decision(targetId: string, currentReplicas: number, desiredReplicas: number): Decision {
  return {
    targetId,
    atMs: 0,
    currentReplicas,
    desiredReplicas,
    reasons: [{ rule: 'saturday', replicas: desiredReplicas, detail: '3 weddings live in Europe/London' }],
    protections: ['saturday'],
    deployFreeze: true,
    holding: false,
  };
}
