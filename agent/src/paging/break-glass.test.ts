/** Break glass on a wedding day pages with high urgency (error; critical for a wedding-critical target), once per change, until the freeze ends. */
import { configSchema } from '../app/config-schema';
import { indexCalendar } from '../calendar/rules';
import { targetCalendar } from '../calendar/target-calendar';
import { AgentState } from '../state';
import { PageTracker } from '../sinks/pagerduty/page-tracker';
import { toPagerDutyEvent } from '../sinks/pagerduty/pagerduty-events';

const SATURDAY = Date.parse('2027-06-05T14:00:00Z');

function frozenState() {
  const config = configSchema.parse({
    sources: { sim: { type: 'simulator' } },
    targets: [{ id: 'api', kubernetes: { namespace: 'weddings', name: 'api' }, load: { source: 'sim', query: 'q' }, capacityPerPod: 50, maxReplicas: 40 }],
  });
  const calendar = indexCalendar(
    {
      weddings: [
        {
          id: 'w-london',
          title: 'Ada & Ben',
          start: '2027-06-05T13:00:00+01:00',
          timezone: 'Europe/London',
          days: 1,
          guests: 150,
          tradition: 'british',
          vendors: 8,
        },
      ],
    },
    config.wedding,
  );
  const state = new AgentState(
    { version: 't', cluster: 'c1', mode: 'act', leader: true, startedAtMs: 0, lastTickMs: SATURDAY, lastTickDurationMs: 1, ticks: 1, ready: true },
    config.targets,
    calendar,
  );
  const tick = (atMs: number) => {
    state.info.lastTickMs = atMs;
    for (const t of state.targets.values()) t.view = { atMs, load: 1, readError: null, overrides: [], calendar: targetCalendar(calendar, t.config, atMs) };
  };
  tick(SATURDAY);
  return { state, tick };
}

const tracker = () => new PageTracker({ cluster: 'c1', unreachableAfterMs: 120_000, overloadUtilization: 1, overloadedAfterMs: 120_000 });

describe('break-glass-during-freeze', () => {
  it('pages with high urgency once per change while the freeze holds, and resolves when it ends', () => {
    const { state, tick } = frozenState();
    const pages = tracker();
    expect(pages.next(state, SATURDAY)).toEqual([]);
    state.breakGlass.push({
      targetId: 'api',
      atMs: SATURDAY,
      by: 'kubectl-edit',
      reason: 'INC-4711: payment outage',
      generation: 9,
      duringFreeze: true,
      weddings: ['w-london'],
    });
    const [trigger] = pages.next(state, SATURDAY + 15_000);
    expect(trigger).toMatchObject({ action: 'trigger', kind: 'break-glass-during-freeze', dedupKey: 'wedsync/c1/break-glass-during-freeze/api/generation-9' });
    const body = toPagerDutyEvent(trigger, { routingKey: 'rk', source: 'wedsync-agent/c1', cluster: 'c1' });
    expect(body.payload).toMatchObject({
      severity: 'error',
      summary: '[c1] break glass on api during the deploy freeze: "INC-4711: payment outage" by kubectl-edit (weddings live: w-london)',
    });
    expect(body.payload?.custom_details).toMatchObject({ reason: 'INC-4711: payment outage', by: 'kubectl-edit', generation: 9, weddings: ['w-london'] });
    expect(pages.next(state, SATURDAY + 30_000)).toEqual([]); // still one incident
    tick(SATURDAY + 8 * 3_600_000); // 22:00Z: the London window has ended, the freeze with it
    // (the fixture never reads load, so a load-source page opens meanwhile: only the break glass matters here)
    expect(pages.next(state, SATURDAY + 8 * 3_600_000).filter((e) => e.kind === 'break-glass-during-freeze')).toEqual([
      expect.objectContaining({ action: 'resolve', dedupKey: 'wedsync/c1/break-glass-during-freeze/api/generation-9' }),
    ]);
  });

  it('does not page for break glass outside a freeze (audited and evented, but no wedding is at stake)', () => {
    const { state } = frozenState();
    state.breakGlass.push({ targetId: 'api', atMs: SATURDAY, by: 'ci', reason: 'hotfix', generation: 3, duringFreeze: false, weddings: [] });
    expect(tracker().next(state, SATURDAY)).toEqual([]);
  });
});
