/**
 * The `paging` section of the agent config: thresholds and durations of the page-worthy conditions
 * (paging/definitions.ts). One section for both paths: /metrics exports the conditions with these
 * values, the alert rules page on that series, and the PagerDuty sink pages from the same evaluation.
 */
import { z } from 'zod';
import { positiveSeconds } from './common';

export const PAGING_DEFAULTS = {
  overloadUtilization: 1,
  overloadedAfterSeconds: 120,
  scaleBlockedAfterSeconds: 60,
  unreachableAfterSeconds: 120,
  peerLostAfterSeconds: 0,
} as const;

export const pagingConfig = z
  .object({
    /** A target at maxReplicas at or above this utilisation (observed ÷ ready capacity) is overloaded; 1 = every pod at capacity. */
    overloadUtilization: z.number().positive().default(PAGING_DEFAULTS.overloadUtilization),
    /** How long a target must stay pinned at maxReplicas and overloaded before it pages. */
    overloadedAfterSeconds: z.number().min(0).default(PAGING_DEFAULTS.overloadedAfterSeconds),
    /** How long the leader's scale writes must keep failing (workload not where the planner wants it) before it pages. */
    scaleBlockedAfterSeconds: z.number().min(0).default(PAGING_DEFAULTS.scaleBlockedAfterSeconds),
    /** How long Kubernetes reads or a load source may fail before it pages. */
    unreachableAfterSeconds: positiveSeconds.default(PAGING_DEFAULTS.unreachableAfterSeconds),
    /** How long a peer cluster must stay lost before it pages; 0 because fleet.staleAfterSeconds already waited. */
    peerLostAfterSeconds: z.number().min(0).default(PAGING_DEFAULTS.peerLostAfterSeconds),
  })
  .strict()
  .default({ ...PAGING_DEFAULTS });
export type PagingConfig = z.infer<typeof pagingConfig>;
