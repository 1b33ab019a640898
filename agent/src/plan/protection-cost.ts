/**
 * What each protection costs per hour: the replicas a protecting rule added above the count before it
 * (and still in the final decision) × the price of a replica-hour. Appended to that rule's reason, so the
 * API, logs, Events and the panel say "costs 1.23 USD/h" next to "2 wedding(s) live". Pure arithmetic.
 */
import { money } from './price';
import type { Draft } from './draft';
import type { Reason } from './types';

/** Rules that keep replicas for a wedding, an operator or missing data rather than for the load seen. */
export const PROTECTION_RULES: ReadonlySet<string> = new Set([
  'peak-season',
  'wedding-headroom',
  'saturday-protection',
  'post-wedding-rampdown',
  'override-floor',
  'override-freeze',
  'fail-safe',
]);

export function priceProtections(draft: Pick<Draft, 'reasons' | 'before' | 'desired'>, price: { perReplicaHour: number; currency: string }): Reason[] {
  return draft.reasons.map((r, i) => {
    const before = draft.before[i];
    if (!PROTECTION_RULES.has(r.rule) || before === undefined) return r;
    // A later rule (bounds, a pin) may have cut below what the protection asked: only what survived costs money.
    const added = Math.min(r.replicas, draft.desired) - before;
    if (added <= 0) return r;
    const perHour = added * price.perReplicaHour;
    return {
      ...r,
      detail: `${r.detail}; costs ${money(perHour, price.currency)}/h (+${added} replica${added === 1 ? '' : 's'} × ${money(price.perReplicaHour, price.currency)})`,
    };
  });
}
