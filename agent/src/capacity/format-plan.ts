/** The capacity plan as text for a terminal: one block per target, then the node pools and the total. */
import type { CapacityPlanDto } from '../api/contract';
import { money } from '../plan/price';

const cost = (x: number | null, currency: string) => (x === null ? 'unknown' : money(x, currency));

export function formatCapacityPlan(p: CapacityPlanDto): string[] {
  const out = [`Capacity plan for cluster ${p.cluster}, ${p.from} → ${p.to} (${p.stepSeconds / 60}-minute steps)`];
  for (const t of p.targets) {
    out.push('', `${t.target}  (${t.method})`);
    out.push(
      `  forecast peak   ${t.peak ? `${t.peak.load.toFixed(1)} at ${t.peak.at}` : 'unknown (no projection)'}${t.missingPoints ? `; ${t.missingPoints} step(s) without a projection` : ''}`,
    );
    out.push(
      `  pods            ${t.pods.peak} from ${t.pods.neededAt ?? '—'} (ask by ${t.pods.requestBy ?? '—'})${t.pods.cappedAtMax ? `; demand wanted ${t.pods.wantedAtPeak}, capped at maxReplicas` : ''}`,
    );
    out.push(
      t.nodes.pool === null
        ? `  nodes           unknown: ${t.nodes.reason}`
        : `  nodes           ${t.nodes.peak} in pool ${t.nodes.pool} (${t.nodes.podsPerNode} pods per node)`,
    );
    out.push(
      `  cost            ${cost(t.cost.perReplicaHour, t.cost.currency)} per replica-hour; ${cost(t.cost.peakPerHour, t.cost.currency)}/h at the peak; ${cost(t.cost.window, t.cost.currency)} for ${t.cost.replicaHours.toFixed(1)} replica-hours (${t.cost.source})`,
    );
  }
  if (p.pools.length) {
    out.push('', 'Node pools (raise the autoscaler minimum, or reserve, to at least this before the peak):');
    for (const pool of p.pools) out.push(`  ${pool.pool}: ${pool.peakNodes} node(s) at ${pool.at ?? '—'} for ${pool.targets.join(', ')}`);
  }
  out.push(
    '',
    `Total: ${cost(p.cost.window, p.cost.currency)} over the window; ${cost(p.cost.peakPerHour, p.cost.currency)}/h at the busiest hour${p.cost.unknownTargets.length ? ` (price unknown for ${p.cost.unknownTargets.join(', ')})` : ''}`,
  );
  return out;
}
