/**
 * The price table path: a pod's requests × the table's vCPU-hour and GiB-hour for this cluster's provider,
 * region and capacity type. Pure: the caller says what the pod requests.
 */
import type { PodResources, PricingConfig, TargetCostConfig } from '../config/pricing-config';
import { money, type ReplicaPrice } from '../plan/price';

export function tablePrice(pricing: PricingConfig | undefined, targetCost: TargetCostConfig | undefined, requests: PodResources | undefined): ReplicaPrice {
  const currency = pricing?.currency ?? 'USD';
  const unknown = (detail: string): ReplicaPrice => ({ perReplicaHour: null, currency, source: 'unknown', detail });
  if (!pricing?.provider || !pricing.region) return unknown('no price table row: pricing.provider and pricing.region are not set');
  const row = pricing.table[pricing.provider]?.[pricing.region];
  if (!row) return unknown(`pricing.table.${pricing.provider}.${pricing.region} is missing`);
  const capacity = targetCost?.capacityType ?? pricing.capacityType;
  const rates = capacity === 'spot' ? row.spot : row.onDemand;
  if (!rates) return unknown(`pricing.table.${pricing.provider}.${pricing.region} has no ${capacity} prices`);
  if (!requests) return unknown('pod requests unknown: the workload spec sets none and the target has no cost.podRequests');
  const perReplicaHour = requests.cpu * rates.vcpuHour + requests.memoryGiB * rates.gibHour;
  return {
    perReplicaHour,
    currency,
    source: 'table',
    detail: `${pricing.provider}/${pricing.region} ${capacity}: ${requests.cpu} vCPU × ${money(rates.vcpuHour, currency)} + ${requests.memoryGiB} GiB × ${money(rates.gibHour, currency)}`,
  };
}
