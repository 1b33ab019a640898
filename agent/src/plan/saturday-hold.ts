/**
 * What Saturday protection keeps while a protecting wedding is live (policy.saturdayHold):
 * - `peak` (the default): the highest count the window's needs asked for (observed load, the forecast and
 *   the calendar's announced steps, wedding floors and headroom), never below it until the window ends;
 *   but not what only a passing surge's extrapolation or burst headroom added on top: room for a jump
 *   is not something the wedding needs once the jump has not come.
 * - `all`: nothing running is given up (every pod, whatever asked for it).
 * - `demand`: everything running when the window opened and every pod observed load asked for since.
 * Returns the arguments applySaturdayProtection (protections.ts) takes for the chosen hold.
 */
import type { PlanPolicy } from '../config/schema';

export interface SaturdayHoldInputs {
  hold: 'all' | 'demand';
  /** The count the window's peak is taken over. */
  demandBacked: number;
  /** The window's peak so far; null = start from what runs now. */
  previousPeak: number | null;
}

export function saturdayHoldInputs(
  policy: Pick<PlanPolicy, 'saturdayHold'>,
  need: number,
  observedNeed: number,
  protectedPeak: number | null,
): SaturdayHoldInputs {
  if (policy.saturdayHold === 'peak') return { hold: 'demand', demandBacked: need, previousPeak: protectedPeak ?? 0 };
  return { hold: policy.saturdayHold, demandBacked: observedNeed, previousPeak: protectedPeak };
}
