import { weddingRulesSchema } from '../config/schema';
import type { ReplaySummary } from '../replay/compare';
import { hpaV2 } from '../replay/reference-policies';
import type { Trace } from '../replay/trace';
import { syntheticDemand } from '../../test-support/synthetic-trace';
import { chartData, MAX_POINTS } from './chart-data';
import { chartLibrary } from './chart-library';
import { buildTargetReport, summaryJson } from './report-model';
import { reportHtml, reportTitle } from './report-html';

const START = Date.parse('2027-06-04T00:00:00Z');
const shape = { capacityPerPod: 50, podStartupSeconds: 180, stepSeconds: 60, targetUtilization: 0.5, minReplicas: 2, maxReplicas: 100 };
const traceOf = (days: number): Trace => {
  const demand = Float64Array.from(syntheticDemand(days * 1440, START, 11 * 60));
  return {
    dir: 'x',
    meta: {
      podCapacityRps: 50,
      podStartupSeconds: 180,
      minReplicas: 2,
      maxReplicas: 100,
      targetUtilization: 0.7,
      stepSeconds: 60,
      start: '2027-06-04T00:00:00Z',
      minutes: demand.length,
    },
    startMs: START,
    stepMs: 60_000,
    demand,
    calendar: {
      weddings: [
        { id: 'w', title: 'W', start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London', days: 1, guests: 100, tradition: 'british', vendors: 3 },
      ],
    },
  };
};
const change = (step: number, rule: string, replicas = 10) => ({ step, rule, replicas, detail: `${rule} detail` });
const build = (trace: Trace, ruleChanges = [change(0, 'predictive')]) =>
  buildTargetReport({
    id: 'api',
    trace,
    agentReplicas: hpaV2(trace.demand, shape),
    summary: { agent: {} } as ReplaySummary,
    cluster: null,
    rules: weddingRulesSchema.parse({}),
    timezones: [],
    ruleChanges,
  });

describe('the "why" marks', () => {
  test('only protection and calendar rules are marked, each until the next change; a short let-go is one mark', () => {
    const r = build(traceOf(2), [
      change(0, 'predictive'),
      change(100, 'calendar-step', 20),
      change(130, 'reactive'),
      change(800, 'saturday-protection', 39),
      change(900, 'stabilisation'),
      change(903, 'saturday-protection', 39),
      change(1200, 'predictive'),
      change(1300, 'post-wedding-rampdown', 30),
    ]);
    expect(r.why.map((w) => [w.rule, w.step, (w.untilMs - START) / 60_000])).toEqual([
      ['calendar-step', 100, 130],
      ['saturday-protection', 800, 1200],
      ['post-wedding-rampdown', 1300, 2880],
    ]);
    expect(r.why[1].atMs).toBe(START + 800 * 60_000);
  });

  test('a caller without rule changes gets no marks, and the page says the agent followed the load', () => {
    const r = buildTargetReport({
      id: 'api',
      trace: traceOf(1),
      agentReplicas: hpaV2(traceOf(1).demand, shape),
      summary: { agent: {} } as ReplaySummary,
      cluster: null,
      rules: weddingRulesSchema.parse({}),
      timezones: [],
    });
    expect(r.why).toEqual([]);
    expect(reportHtml({ title: 't', source: 's', fromMs: START, toMs: START, generatedAtMs: 0, targets: [r] })).toContain('data-testid="why-none"');
  });
});

describe('chart data', () => {
  test('up to MAX_POINTS minutes, every minute is a point with its own values', () => {
    const trace = traceOf(2);
    const d = chartData(build(trace));
    expect(d.stepsPerPoint).toBe(1);
    expect(d.t).toHaveLength(2880);
    expect(d.t[61]).toBe(START / 1000 + 61 * 60);
    expect(d.demand[700]).toBeCloseTo(trace.demand[700], 2);
    expect(d.series.map((s) => s.name)).toEqual(['agent', 'hpa_v2', 'hpa_headroom', 'static_peak', 'oracle']);
  });

  test('longer ranges are bucketed: the highest demand and most replicas of a bucket, the lowest capacity, any overload kept', () => {
    const trace = traceOf(7);
    const r = build(trace);
    const d = chartData(r);
    const per = Math.ceil((7 * 1440) / MAX_POINTS);
    expect(d.stepsPerPoint).toBe(per);
    expect(d.t).toHaveLength(Math.ceil((7 * 1440) / per));
    const peak = trace.demand.reduce((m, v) => Math.max(m, v), 0);
    expect(Math.max(...d.demand)).toBeCloseTo(peak, 2);
    const hpa = r.policies.find((p) => p.name === 'hpa_v2')!;
    expect(Math.max(...d.series[1].replicas)).toBe(hpa.score.peakReplicas);
    // Every overloaded minute of the HPA lands in an overloaded bucket.
    expect(d.series[1].overload.filter((v) => v === 1).length).toBeGreaterThanOrEqual(Math.ceil(hpa.score.overloadMinutes / per));
  });
});

describe('report.html', () => {
  test('one file: uPlot and its stylesheet inline, the chart data as JSON that cannot close its script element', () => {
    const trace = { ...traceOf(1), calendar: { weddings: [{ ...traceOf(1).calendar.weddings[0], title: '</script><b>x' }] } };
    const html = reportHtml({
      title: reportTitle('replay', 'trace demo', START, START + 86_400_000),
      source: 's',
      fromMs: START,
      toMs: START,
      generatedAtMs: 0,
      targets: [build(trace)],
    });
    const lib = chartLibrary();
    expect(lib.version).toBe('1.6.32');
    expect(html).toContain(lib.css);
    expect(html).toContain('<title>WedSync replay: trace demo (2027-06-04 00:00Z – 2027-06-05 00:00Z)</title>');
    expect(html.match(/<\/script>/g)).toHaveLength(3); // uPlot, the report's script, and one data block per target
    expect(html).not.toMatch(/<svg|<(link|img|iframe)\b|src=|href="http/);
  });
});

describe('summary.json', () => {
  test('the replay verdict (targetsMet and the limits it was judged by) and the "why" marks, per target', () => {
    const targetsMet = { overload: true, unserved: false, replicaHours: true };
    const trace = traceOf(2);
    const r = buildTargetReport({
      id: 'api',
      trace,
      agentReplicas: hpaV2(trace.demand, shape),
      summary: {
        agent: {},
        targetsMet,
        agentVsHpa: { overloadMinutes: 0.05, unservedRequests: 0.2 },
        agentVsOracle: { replicaHours: 1.05 },
        agentVsOracleWithHold: { replicaHours: 1 },
      } as unknown as ReplaySummary,
      cluster: null,
      rules: weddingRulesSchema.parse({}),
      timezones: [],
      ruleChanges: [change(0, 'predictive'), change(60, 'wedding-headroom', 12)],
    });
    const t = (summaryJson([r], { source: 's', fromMs: START, toMs: START, generatedAtMs: 0 }) as { targets: Array<Record<string, unknown>> }).targets[0];
    expect(t.targetsMet).toEqual(targetsMet);
    expect(t.targets).toEqual({ overloadVsHpa: 0.1, unservedVsHpa: 0.1, replicaHoursVsOracle: 1.1 });
    expect(t.agentVsHpa).toEqual({ overloadMinutes: 0.05, unservedRequests: 0.2 });
    expect(t.why).toEqual([
      { from: '2027-06-04T01:00:00.000Z', until: '2027-06-06T00:00:00.000Z', rule: 'wedding-headroom', replicas: 12, detail: 'wedding-headroom detail' },
    ]);
  });
});
