/**
 * What one replica of a target costs per hour, and where that number came from. `perReplicaHour` is
 * null when nobody knows: an unknown price is never shown or summed as 0.
 */
export type PriceSource = 'opencost' | 'table' | 'unknown';

export interface ReplicaPrice {
  perReplicaHour: number | null;
  currency: string;
  source: PriceSource;
  /** How it was computed, or why it is unknown (shown on /status and in the panel). */
  detail: string;
}

/** "0.0420 USD" — four decimals: a replica-hour often costs cents. */
export function money(x: number, currency: string): string {
  return `${x.toFixed(Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 1 ? 2 : 4)} ${currency}`;
}
