import { applyEvent, EMPTY_LIVE } from './liveStatus';
import { chartFrames, decisionPoints, SERIES_NAMES } from './chartFrames';
import { decidingReason, describeDecision, MAX_DECISIONS, recordDecision } from './decisionLog';
import type { DecisionDto } from '../types';

const T0 = Date.parse('2027-06-05T13:00:00Z');
const decision = (minute: number, current: number, desired: number, rule = 'saturday-protection'): DecisionDto => ({
  target: 'api',
  at: new Date(T0 + minute * 60_000).toISOString(),
  currentReplicas: current,
  desiredReplicas: desired,
  reasons: [
    { rule: 'reactive', replicas: 12, detail: 'load 480 req/s' },
    { rule, replicas: desired, detail: '1 wedding(s) live on a protected day' },
    { rule: 'bounds', replicas: desired, detail: 'within 2–60' },
  ],
  protections: ['saturday'],
  deployFreeze: true,
  holding: false,
});

describe("decision log (the chart's scale decisions)", () => {
  test('keeps scale events only, newest last, never one twice, bounded', () => {
    let log = recordDecision([], decision(0, 12, 39));
    log = recordDecision(log, decision(1, 39, 39)); // a hold: not a scale event
    log = recordDecision(log, decision(0, 12, 39)); // the same decision again (status, then the stream)
    log = recordDecision(log, decision(5, 39, 30, 'post-wedding-rampdown'));
    expect(log.map((d) => [d.at.slice(11, 16), d.desiredReplicas])).toEqual([
      ['13:00', 39],
      ['13:05', 30],
    ]);
    for (let m = 10; m < 10 + 2 * MAX_DECISIONS; m++) {
      log = recordDecision(log, decision(m, m % 2 ? 10 : 11, m % 2 ? 11 : 10));
    }
    expect(log).toHaveLength(MAX_DECISIONS);
  });

  test('the reason is the rule that brought the count there, not a later check repeating it', () => {
    expect(decidingReason(decision(0, 12, 39))?.rule).toBe('saturday-protection'); // bounds, after it, says 39 too
    expect(describeDecision(decision(0, 12, 39))).toBe('12 → 39 replicas: saturday-protection (1 wedding(s) live on a protected day)');
    // A note after the count was set (surge says 50 but did not move it): the last reason saying 39.
    expect(
      decidingReason({
        ...decision(0, 12, 39),
        reasons: [
          { rule: 'predictive', replicas: 39, detail: 'x' },
          { rule: 'surge', replicas: 50, detail: 'note' },
        ],
      })?.rule,
    ).toBe('predictive');
  });

  test('stream events fill the log per target', () => {
    let view = applyEvent(EMPTY_LIVE, 'snapshot', { at: '', tick: 1, load: [], decisions: [decision(0, 12, 39)], protections: [], pages: [] }, 1, 0);
    view = applyEvent(view, 'decision', decision(3, 39, 41), 2, 0);
    view = applyEvent(view, 'decision', decision(4, 41, 41), 3, 0);
    expect(view.decisionLog.api.map((d) => d.desiredReplicas)).toEqual([39, 41]);
  });

  test('the chart gets a "Scale decision" point per decision, at the replicas wanted, on the replicas axis', () => {
    const decisions = [decision(0, 12, 39), decision(5, 39, 30)];
    expect(decisionPoints(decisions)).toEqual([
      { t: T0, v: 39 },
      { t: T0 + 300_000, v: 30 },
    ]);
    const series = { observed: [{ t: T0, v: 480 }], forecast: [], lower: [], upper: [], current: [], desired: [], anomaly: [] };
    const frames = chartFrames({ series, forecast: null, live: [], anomalyThreshold: 0.8, loadUnit: 'reqps', decisions });
    const f = frames.find((x) => x.name === SERIES_NAMES.decision)!;
    expect(f.fields[1].values).toEqual([39, 30]);
    expect(f.fields[1].config).toMatchObject({ unit: 'none', custom: { drawStyle: 'points', axisPlacement: 'right' } });
    expect(chartFrames({ series, forecast: null, live: [], anomalyThreshold: 0.8, loadUnit: 'reqps' }).some((x) => x.name === SERIES_NAMES.decision)).toBe(
      false,
    );
  });
});
