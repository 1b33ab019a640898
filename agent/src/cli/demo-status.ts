/**
 * One line of what the demo agent is doing, printed as simulated time passes, so `npm start` shows the
 * wedding weekend unfold instead of a silent prompt.
 */
import type { AgentState } from '../state';
import { money } from '../plan/price';

const SHORT: Record<string, string> = {
  saturday: 'Saturday freeze',
  peak_season: 'peak',
  wedding_headroom: 'headroom',
  post_wedding_rampdown: 'ramp-down',
  override_pin: 'pinned',
  override_floor: 'floor',
  override_freeze: 'frozen',
  stale_data: 'NO DATA',
  peer_failover: 'PEER LOST',
  fleet_data_missing: 'fleet hold',
};

export function demoStatusLine(state: AgentState): string {
  const at = state.info.lastTickMs === null ? 'starting' : new Date(state.info.lastTickMs).toISOString().slice(0, 16).replace('T', ' ') + 'Z';
  const weekday =
    state.info.lastTickMs === null ? '' : new Date(state.info.lastTickMs).toLocaleDateString('en-GB', { weekday: 'short', timeZone: 'UTC' }) + ' ';
  const targets = [...state.targets.values()].map((t) => {
    const load = t.observed ? Math.round(t.observed.value) : '—';
    const pods = t.workload ? `${t.workload.readyReplicas}/${t.decision?.desiredReplicas ?? t.workload.replicas}` : '—';
    const marks = (t.decision?.protections ?? []).filter((p) => p !== 'peak_season').map((p) => SHORT[p] ?? p);
    const anomaly = t.anomaly.kind !== 'none' && t.anomaly.score >= 0.7 ? ` ${t.anomaly.kind}!` : '';
    return `${t.config.id} ${load} → ${pods} pods${marks.length ? ` (${marks.join(', ')})` : ''}${anomaly}`;
  });
  const live = Math.max(0, ...[...state.targets.values()].map((t) => t.view?.calendar.live.length ?? 0));
  const costs = [...state.targets.values()].map((t) => t.cost);
  const known = costs.filter((c) => c?.perHour != null);
  const cost =
    known.length && known.length === costs.length
      ? ` · ${money(
          known.reduce((s, c) => s + c!.perHour!, 0),
          known[0]!.currency,
        )}/h`
      : '';
  return `[${weekday}${at}] ${live} wedding(s) live · ${targets.join(' · ')}${cost}`;
}
