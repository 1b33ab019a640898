/**
 * Operator overrides (set through the API): freeze = no scale-down, floor = at least N, pin = exactly N.
 * Expired overrides are ignored here even if the store still holds them. Pin is applied last, after the
 * bounds: an operator's exact number is the one thing the planner does not second-guess.
 */
import type { Draft } from './draft';
import type { Override } from './types';

export function activeOverrides(overrides: readonly Override[], targetId: string | undefined, nowMs: number): Override[] {
  return overrides.filter((o) => o.untilMs > nowMs && (targetId === undefined || o.targetId === targetId));
}

const until = (o: Override) => (o.untilWeddingEnds ? 'until the wedding ends' : `until ${new Date(o.untilMs).toISOString()}`);

export function applyFreezeAndFloor(draft: Draft, overrides: readonly Override[], currentReplicas: number): void {
  for (const o of overrides) {
    if (o.type === 'freeze') {
      draft.protect('override_freeze');
      draft.atLeast('override-freeze', currentReplicas, `freeze by ${o.author} ${until(o)}: ${o.reason}`);
    } else if (o.type === 'floor' && o.replicas !== undefined) {
      draft.protect('override_floor');
      draft.atLeast('override-floor', o.replicas, `floor ${o.replicas} by ${o.author} ${until(o)}: ${o.reason}`);
    }
  }
}

export function applyPin(draft: Draft, overrides: readonly Override[]): void {
  // The newest pin wins if several are active.
  const pins = overrides.filter((o) => o.type === 'pin' && o.replicas !== undefined).sort((a, b) => b.createdAtMs - a.createdAtMs);
  if (!pins.length) return;
  const pin = pins[0];
  draft.protect('override_pin');
  draft.set('override-pin', pin.replicas!, `pinned to ${pin.replicas} by ${pin.author} ${until(pin)}: ${pin.reason}`);
}
