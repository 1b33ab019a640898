/**
 * The `pricing` config block and the per-target `cost` block: where a replica-hour's price comes from.
 * Composed into config/schema.ts (one key each); the cross-field rules that need the whole config (the
 * OpenCost source must be a Prometheus source) are in `checkPricingAgainstConfig`, called from there.
 *
 * Prices are per vCPU-hour and per GiB-hour of the pod's requests, per provider and region, on-demand
 * and (optionally) spot: the way the three clouds publish them.
 */
import { z } from 'zod';
import { positiveSeconds } from './common';

/** The clouds the agent knows; `other` is any cluster elsewhere (on-premises, another cloud). */
export const PROVIDERS = ['eks', 'gke', 'aks', 'other'] as const;
export type Provider = (typeof PROVIDERS)[number];

const rates = z
  .object({
    /** Price of one vCPU of requests for one hour, in `pricing.currency`. */
    vcpuHour: z.number().nonnegative(),
    /** Price of one GiB of memory requests for one hour. */
    gibHour: z.number().nonnegative(),
  })
  .strict();

const regionPrices = z.object({ onDemand: rates, spot: rates.optional() }).strict();

const capacityType = z.enum(['on-demand', 'spot']);

export const pricingSchema = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD or EUR')
      .default('USD'),
    /** Which row of the table this cluster pays (default: agent.provider / agent.region, when both are configured). */
    provider: z.enum(PROVIDERS).optional(),
    region: z.string().min(1).optional(),
    /** What the pods run on unless a target says otherwise. */
    capacityType: capacityType.default('on-demand'),
    /** provider → region → prices. */
    table: z.record(z.string(), z.record(z.string(), regionPrices)).default({}),
    /** Read OpenCost's series from this Prometheus source (a key of `sources`); the table is the fallback. */
    opencost: z
      .object({
        source: z.string().min(1),
        /** How often the OpenCost price is asked again (node prices change slowly). */
        refreshSeconds: positiveSeconds.default(300),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const key of Object.keys(p.table))
      if (!(PROVIDERS as readonly string[]).includes(key))
        ctx.addIssue({ code: 'custom', path: ['table', key], message: `unknown provider "${key}" (known: ${PROVIDERS.join(', ')})` });
    if (p.provider === undefined && p.region === undefined) return;
    if (p.provider === undefined || p.region === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [p.provider === undefined ? 'provider' : 'region'],
        message: 'is required when pricing.' + (p.provider === undefined ? 'region' : 'provider') + ' is set',
      });
      return;
    }
    const regions = p.table[p.provider];
    if (!regions) {
      ctx.addIssue({
        code: 'custom',
        path: ['table', p.provider],
        message: `is missing: pricing.provider is "${p.provider}" but the table has no prices for it`,
      });
      return;
    }
    const row = regions[p.region];
    if (!row)
      ctx.addIssue({
        code: 'custom',
        path: ['table', p.provider, p.region],
        message: `is missing: pricing.region is "${p.region}" (the table has ${Object.keys(regions).join(', ') || 'no region'})`,
      });
    else if (p.capacityType === 'spot' && !row.spot)
      ctx.addIssue({ code: 'custom', path: ['table', p.provider, p.region, 'spot'], message: 'is missing: pricing.capacityType is "spot"' });
  });

export type PricingConfig = z.infer<typeof pricingSchema>;

const resources = z
  .object({
    /** vCPUs (0.5 = 500m). */
    cpu: z.number().positive(),
    memoryGiB: z.number().positive(),
  })
  .strict();

/** A target's `cost` block: what its pods request when the workload cannot say, and where they run. */
export const targetCostSchema = z
  .object({
    /** Fallback when the workload spec gives none (the in-memory cluster of the demo and replays has no spec). */
    podRequests: resources.optional(),
    capacityType: capacityType.optional(),
    /** The node pool the pods land on: the capacity plan counts nodes against its allocatable. */
    nodePool: z
      .object({
        name: z.string().min(1),
        /** Allocatable per node (capacity minus system reservations), not the instance size. */
        allocatable: resources,
        /** Pods per node the pool allows (kubelet maxPods), counting only this target's pods. */
        maxPods: z.number().int().positive().default(110),
      })
      .strict()
      .optional(),
  })
  .strict();

export type TargetCostConfig = z.infer<typeof targetCostSchema>;
export type PodResources = z.infer<typeof resources>;

/** Cross-field rules that need the whole config; called from the config schema's superRefine. */
export function checkPricingAgainstConfig(
  cfg: {
    agent: { provider?: string; region?: string };
    pricing?: PricingConfig;
    sources: Record<string, { type: string }>;
    targets: Array<{ cost?: TargetCostConfig }>;
  },
  ctx: z.RefinementCtx,
): void {
  const p = cfg.pricing;
  if (!p) return;
  // Unset, the table row is the cluster's own identity (agent.provider / agent.region) when configured.
  if (p.provider === undefined && p.region === undefined && cfg.agent.provider !== undefined && cfg.agent.region !== undefined) {
    const regions = p.table[cfg.agent.provider];
    if (!regions?.[cfg.agent.region])
      ctx.addIssue({
        code: 'custom',
        path: ['pricing', 'table', cfg.agent.provider, ...(regions ? [cfg.agent.region] : [])],
        message: `is missing: agent.provider/agent.region are "${cfg.agent.provider}"/"${cfg.agent.region}" and pricing.provider/region are unset, so this cluster pays that row`,
      });
  }
  if (p.opencost) {
    const src = cfg.sources[p.opencost.source];
    if (!src)
      ctx.addIssue({
        code: 'custom',
        path: ['pricing', 'opencost', 'source'],
        message: `unknown source "${p.opencost.source}" (configured: ${Object.keys(cfg.sources).join(', ') || 'none'})`,
      });
    else if (src.type !== 'prometheus')
      ctx.addIssue({
        code: 'custom',
        path: ['pricing', 'opencost', 'source'],
        message: `source "${p.opencost.source}" is ${src.type}; OpenCost is read from a prometheus source`,
      });
  }
  cfg.targets.forEach((t, i) => {
    if (t.cost?.capacityType !== 'spot' || p.provider === undefined || p.region === undefined) return;
    if (p.table[p.provider]?.[p.region] && !p.table[p.provider][p.region].spot)
      ctx.addIssue({
        code: 'custom',
        path: ['targets', i, 'cost', 'capacityType'],
        message: `is "spot" but pricing.table.${p.provider}.${p.region} has no spot prices`,
      });
  });
}
