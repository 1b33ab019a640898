/**
 * Whether an override change made through the API is durable (in the agent's stored state) when the API
 * answers. 201 Created (200 for a delete) only once it is; 202 Accepted with `durable: false` and the
 * reason when it is not yet (the store did not answer in time, a write failed: ENOSPC, EROFS, 403, or the
 * agent keeps its state in memory only). A change not yet durable is still in force on this replica and
 * is retried every round; WedSyncStateNotDurable fires while rounds fail.
 */
import type { Response } from 'express';
import type { OverrideChangeDto, OverrideDto } from './contract';

export type DurabilityVerdict = { durable: true } | { durable: false; reason: string };

export interface OverrideDurability {
  /** Resolves once the change is stored, or with the reason it is not (bounded by the store's own timeout). */
  stored(overrideId: string, present: boolean): Promise<DurabilityVerdict>;
}

/** An agent without durable state: nothing is ever durable, and the answer says so. */
export const memoryOnly: OverrideDurability = {
  stored: () =>
    Promise.resolve({ durable: false, reason: 'the agent keeps its state in memory only (no state.directory and no Kubernetes connection): lost on restart' }),
};

/** Sends the change's DTO with its durability: `okStatus` when durable, 202 when not. */
export function sendWithDurability(res: Response, okStatus: number, dto: OverrideDto, verdict: DurabilityVerdict): void {
  if (verdict.durable) res.status(okStatus).json({ ...dto, durable: true } satisfies OverrideChangeDto);
  else res.status(202).json({ ...dto, durable: false, notDurable: verdict.reason } satisfies OverrideChangeDto);
}
