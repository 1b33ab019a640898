import { indexCalendar } from '../calendar/rules';
import { weddingRulesSchema } from '../config/schema';
import { AgentState } from '../state';
import { ShadowReport } from './shadow-report';
import { decision, target } from './kubernetes/__fixtures__/actuator';

describe('ShadowReport', () => {
  test('compares the agent with the HPA each tick and integrates replica-seconds', () => {
    const t = target('shop-api');
    const state = new AgentState(
      { version: 't', cluster: 'c', mode: 'shadow', leader: true, startedAtMs: 0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      [t],
      indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})),
    );
    const report = new ShadowReport();
    const ts = state.targets.get(t.id)!;
    const tick = (atMs: number, agent: number, hpaDesired: number | undefined, spec: number) => {
      state.info.lastTickMs = atMs;
      ts.decision = { ...decision(t.id, spec, agent), atMs };
      ts.workload = {
        replicas: spec,
        readyReplicas: spec,
        ...(hpaDesired === undefined ? {} : { hpa: { name: 'h', minReplicas: 2, maxReplicas: 20, desiredReplicas: hpaDesired } }),
      };
      report.observe(state);
    };
    tick(0, 8, 4, 4);
    tick(60_000, 8, 6, 4);
    tick(120_000, 5, 6, 6);
    tick(180_000, 5, undefined, 5);
    expect(report.targets.get(t.id)).toEqual({
      targetId: t.id,
      atMs: 180_000,
      agentReplicas: 5,
      clusterReplicas: 5,
      ticks: 4,
      ticksAgentHigher: 2,
      ticksAgentLower: 1,
      agentReplicaSeconds: (8 + 8 + 5) * 60,
      clusterReplicaSeconds: (4 + 6 + 6) * 60,
    });
    // A target that was not decided this tick (read failed) is not counted.
    state.info.lastTickMs = 240_000;
    report.observe(state);
    expect(report.targets.get(t.id)!.ticks).toBe(4);
  });
});
