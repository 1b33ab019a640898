/**
 * A target's money: what it costs per hour now (GET /status), and what the coming weekend needs of it
 * (GET /capacity-plan). An unknown price is written "unknown", never 0.
 */
import React from 'react';
import type { CapacityPlanDto, CostDto } from '../types';
import { testIds } from '../testIds';

export function money(x: number | null, currency: string): string {
  if (x === null) {
    return 'unknown';
  }
  return `${x.toFixed(Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 1 ? 2 : 4)} ${currency}`;
}

/** "Sat 14:00Z" — the plan is read days ahead, so the weekday matters more than the date. */
export function shortInstant(iso: string | null): string {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  return `${d.toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' })} ${iso.slice(11, 16)}Z`;
}

export function CostNow({ cost, className }: { cost: CostDto | null | undefined; className: string }) {
  if (!cost) {
    return null;
  }
  const text =
    cost.perReplicaHour === null
      ? `cost unknown: ${cost.detail}`
      : `cost ${money(cost.perHour, cost.currency)}/h · ${money(cost.perReplicaHour, cost.currency)} per replica-hour (${cost.source})`;
  return (
    <span className={className} data-testid={testIds.target.cost} title={cost.detail}>
      {text}
    </span>
  );
}

export function WeekendPlan({ plan, className }: { plan: CapacityPlanDto['targets'][number] | undefined; className: string }) {
  if (!plan) {
    return null;
  }
  const nodes = plan.nodes.pool === null ? 'nodes unknown' : `${plan.nodes.peak} node${plan.nodes.peak === 1 ? '' : 's'} in ${plan.nodes.pool}`;
  const capped = plan.pods.cappedAtMax ? ` (demand wants ${plan.pods.wantedAtPeak}: capped at max)` : '';
  return (
    <div className={className} data-testid={testIds.target.weekendPlan} title={plan.cost.detail}>
      {`coming weekend: ${plan.pods.peak} pods from ${shortInstant(plan.pods.neededAt)}${capped}, ask by ${shortInstant(plan.pods.requestBy)} · ${nodes} · ${money(plan.cost.window, plan.cost.currency)} for ${plan.cost.replicaHours.toFixed(0)} replica-hours`}
    </div>
  );
}

export function CapacitySummary({ plan, className }: { plan: CapacityPlanDto | null; className: string }) {
  if (!plan) {
    return null;
  }
  const pools = plan.pools.map((p) => `${p.pool} ${p.peakNodes} nodes at ${shortInstant(p.at)}`).join(', ');
  return (
    <div className={className} data-testid={testIds.capacity.summary}>
      {`Coming weekend ${shortInstant(plan.from)} – ${shortInstant(plan.to)}: ${money(plan.cost.window, plan.cost.currency)}, busiest hour ${money(plan.cost.peakPerHour, plan.cost.currency)}/h${pools ? ` · node pools: ${pools}` : ''}`}
    </div>
  );
}
