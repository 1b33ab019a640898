/**
 * The price of a target's replica-hour, from the best source that answers: OpenCost (refreshed on its own
 * timer by opencost-refresher.ts) while its answer is fresh, else the config's price table, else unknown.
 * The pipeline asks it once per tick with the pod requests the workload read gave.
 */
import type { TargetConfig } from '../config/schema';
import { money, type ReplicaPrice } from '../plan/price';
import { tablePrice } from './price-table';
import type { PodResources, PricingConfig } from '../config/pricing-config';

export type OpenCostAnswer = { ok: true; perReplicaHour: number; atMs: number } | { ok: false; error: string; atMs: number };

export class PriceBook {
  private readonly opencost = new Map<string, OpenCostAnswer>();

  constructor(
    readonly pricing: PricingConfig | undefined,
    private readonly now: () => number,
  ) {}

  get currency(): string {
    return this.pricing?.currency ?? 'USD';
  }

  /** An OpenCost answer is trusted for three refresh periods; after that its node prices may have moved. */
  private get openCostMaxAgeMs(): number {
    return (this.pricing?.opencost?.refreshSeconds ?? 300) * 3000;
  }

  recordOpenCost(targetId: string, answer: OpenCostAnswer): void {
    // A failed refresh keeps a good answer that is still fresh: one bad scrape is not a price change.
    const prev = this.opencost.get(targetId);
    if (!answer.ok && prev?.ok && answer.atMs - prev.atMs <= this.openCostMaxAgeMs) return;
    this.opencost.set(targetId, answer);
  }

  price(target: TargetConfig, workloadRequests: PodResources | undefined): ReplicaPrice {
    const requests = workloadRequests ?? target.cost?.podRequests;
    const oc = this.opencost.get(target.id);
    if (oc?.ok && this.now() - oc.atMs <= this.openCostMaxAgeMs)
      return {
        perReplicaHour: oc.perReplicaHour,
        currency: this.currency,
        source: 'opencost',
        detail: `OpenCost node prices × this workload's allocation: ${money(oc.perReplicaHour, this.currency)} per replica-hour`,
      };
    const table = tablePrice(this.pricing, target.cost, requests);
    if (!this.pricing?.opencost) return table;
    const why = !oc ? 'not asked yet' : oc.ok ? 'answer too old' : oc.error;
    return { ...table, detail: `OpenCost ${why}; ${table.source === 'table' ? 'price table' : 'no price'}: ${table.detail}` };
  }
}
