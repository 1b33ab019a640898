import { configSchema } from '../app/config-schema';
import { indexCalendar, type LiveWedding } from '../calendar/rules';
import { NOT_FROZEN } from '../calendar/deploy-freeze';
import { AgentState } from '../state';
import { demoStatusLine } from './demo-status';

describe('demoStatusLine', () => {
  it('says when, how many weddings are live, and per target load → ready/desired pods with protections', () => {
    const config = configSchema.parse({
      sources: { sim: { type: 'simulator' } },
      targets: [{ id: 'api', kubernetes: { namespace: 'n', name: 'api' }, load: { source: 'sim', query: 'q' }, capacityPerPod: 10, maxReplicas: 50 }],
    });
    const state = new AgentState(
      { version: 't', cluster: 'c', mode: 'dry-run', leader: true, startedAtMs: 0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      config.targets,
      indexCalendar({ weddings: [] }, config.wedding),
    );
    expect(demoStatusLine(state)).toBe('[starting] 0 wedding(s) live · api — → — pods');
    state.info.lastTickMs = Date.parse('2027-06-05T15:00:00Z');
    const api = state.targets.get('api')!;
    api.observed = { value: 412.4, atMs: state.info.lastTickMs };
    api.workload = { replicas: 20, readyReplicas: 18 };
    // The tick's view says 14 weddings are live for this target (what the line reads, not the calendar).
    const live = Array.from({ length: 14 }, () => ({}) as LiveWedding);
    api.view = {
      atMs: state.info.lastTickMs,
      load: 412.4,
      readError: null,
      overrides: [],
      calendar: { live, protecting: live, freeze: NOT_FROZEN, expectedLoad: 0, peakSeason: true, expectedLoadAt: () => 0 },
    };
    api.anomaly = { score: 0.9, kind: 'spike' };
    api.decision = {
      targetId: 'api',
      atMs: 0,
      currentReplicas: 20,
      desiredReplicas: 24,
      reasons: [],
      protections: ['peak_season', 'saturday', 'wedding_headroom'],
      deployFreeze: true,
      holding: false,
    };
    expect(demoStatusLine(state)).toBe('[Sat 2027-06-05 15:00Z] 14 wedding(s) live · api 412 → 18/24 pods (Saturday freeze, headroom) spike!');
  });
});
