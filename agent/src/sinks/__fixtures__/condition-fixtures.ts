/** A small agent state for the paging tests: two targets around a Saturday wedding in London. */
import { indexCalendar } from '../../calendar/rules';
import { targetCalendar } from '../../calendar/target-calendar';
import type { Wedding } from '../../calendar/model';
import { targetSchema, weddingRulesSchema } from '../../config/schema';
import { AgentState, type TargetState } from '../../state';

/** Saturday 13 June 2026, 16:00 in London (BST): the wedding below is in its reception. */
export const SATURDAY_4PM = Date.parse('2026-06-13T15:00:00Z');
/** Friday 12 June 2026, 16:00 in London: a wedding is live, but it is not a protected day. */
export const FRIDAY_4PM = Date.parse('2026-06-12T15:00:00Z');
export const MINUTE = 60_000;

const wedding = (id: string, start: string): Wedding => ({
  id,
  title: `Wedding ${id}`,
  start,
  timezone: 'Europe/London',
  days: 1,
  guests: 150,
  tradition: 'british',
  vendors: 5,
});

export function fixtureState(nowMs: number, mutate: (targets: Record<'checkout' | 'gallery', TargetState>, state: AgentState) => void = () => {}): AgentState {
  const rules = weddingRulesSchema.parse({});
  const targets = [
    targetSchema.parse({
      id: 'checkout',
      kubernetes: { namespace: 'shop', name: 'checkout' },
      load: { source: 'prom', query: 'q' },
      capacityPerPod: 10,
      maxReplicas: 10,
      weddingCritical: true,
    }),
    targetSchema.parse({
      id: 'gallery',
      kubernetes: { namespace: 'shop', name: 'gallery' },
      load: { source: 'prom-media', query: 'q' },
      capacityPerPod: 10,
      maxReplicas: 10,
    }),
  ];
  const calendar = indexCalendar({ weddings: [wedding('sat', '2026-06-13T14:00:00+01:00'), wedding('fri', '2026-06-12T14:00:00+01:00')] }, rules);
  const state = new AgentState(
    {
      version: 't',
      cluster: 'test',
      mode: 'dry-run',
      leader: true,
      startedAtMs: nowMs - 3_600_000,
      lastTickMs: nowMs,
      lastTickDurationMs: 5,
      ticks: 100,
      ready: true,
    },
    targets,
    calendar,
  );
  for (const t of state.targets.values()) {
    t.observed = { value: 20, atMs: nowMs };
    t.stale = false;
    t.lastReadError = null;
    // What the pipeline's view of this tick said: the conditions read it, not the calendar.
    t.view = { atMs: nowMs, load: 20, readError: null, calendar: targetCalendar(calendar, t.config, nowMs), overrides: [] };
    t.workload = { replicas: 3, readyReplicas: 3 };
    t.decision = {
      targetId: t.config.id,
      atMs: nowMs,
      currentReplicas: 3,
      desiredReplicas: 3,
      reasons: [],
      protections: [],
      deployFreeze: false,
      holding: false,
    };
  }
  mutate({ checkout: state.targets.get('checkout')!, gallery: state.targets.get('gallery')! }, state);
  return state;
}

/** The workload read failed this tick: an error and no fresh decision. */
export function kubernetesDown(t: TargetState, nowMs: number): void {
  t.lastScaleError = 'connect ECONNREFUSED 10.0.0.1:443';
  t.decision = { ...t.decision!, atMs: nowMs - 15_000 };
}

/** The load source failed and the last good reading is too old. */
export function sourceDown(t: TargetState, nowMs: number): void {
  t.lastReadError = 'Prometheus: connect ECONNREFUSED';
  t.stale = true;
  t.observed = { value: 20, atMs: nowMs - 10 * MINUTE };
}
