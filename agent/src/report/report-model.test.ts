import { weddingRulesSchema } from '../config/schema';
import type { ReplaySummary } from '../replay/compare';
import { hpaV2 } from '../replay/reference-policies';
import { syntheticDemand } from '../../test-support/synthetic-trace';
import type { Trace } from '../replay/trace';
import { buildTargetReport, headroomPoint, summaryJson } from './report-model';
import { reportHtml } from './report-html';

const START = Date.parse('2027-06-04T00:00:00Z'); // a Friday
const demand = Float64Array.from(syntheticDemand(4 * 1440, START, 11 * 60));
const missing = new Uint8Array(demand.length);
missing.fill(1, 2000, 2030);
const trace: Trace = {
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
  missing,
  calendar: {
    weddings: [
      { id: 'w', title: 'A <wedding>', start: '2027-06-05T14:00:00+01:00', timezone: 'Europe/London', days: 1, guests: 100, tradition: 'british', vendors: 3 },
    ],
  },
};
// Any schedule will do for the agent here: the HPA at a lower utilisation.
const agentReplicas = hpaV2(demand, { capacityPerPod: 50, podStartupSeconds: 180, stepSeconds: 60, targetUtilization: 0.5, minReplicas: 2, maxReplicas: 100 });
const report = buildTargetReport({
  id: 'api',
  trace,
  agentReplicas,
  summary: { agent: {} } as ReplaySummary,
  cluster: { query: 'q', replicas: new Int32Array(demand.length).fill(10), missingSteps: 0 },
  rules: weddingRulesSchema.parse({}),
  timezones: [],
});

describe('report model', () => {
  test('every policy, the headroom point and the frontier', () => {
    expect(report.policies.map((p) => p.name)).toEqual(['agent', 'cluster_ran', 'hpa_v2', 'hpa_headroom', 'static_peak', 'oracle']);
    expect(report.policies[1].score.replicaHours).toBe(10 * 96);
    const factor = report.policies[3].factor!;
    expect(factor).toBe(headroomPoint(report.frontier, report.policies[0].score.overloadMinutes));
    expect(report.policies[3].score.overloadMinutes).toBeLessThanOrEqual(report.policies[0].score.overloadMinutes);
  });

  test('the weekend row covers Saturday and Sunday, and its figures add up per policy', () => {
    expect(report.weekends).toHaveLength(1);
    const w = report.weekends[0];
    expect([new Date(w.fromMs).toISOString(), new Date(w.toMs).toISOString()]).toEqual(['2027-06-05T00:00:00.000Z', '2027-06-07T00:00:00.000Z']);
    expect(w.weddings).toBe(1);
    for (const p of report.policies) expect(w.perPolicy[p.name]!.overloadMinutes).toBeLessThanOrEqual(p.score.overloadMinutes);
  });

  test('gaps and wedding bands; summary.json keeps no per-step arrays; HTML escapes titles', () => {
    expect(report.gaps).toEqual({ count: 1, missingSteps: 30, ranges: [[2000, 2029]] });
    expect(report.weddings).toEqual([expect.objectContaining({ title: 'A <wedding>', protected: true })]);
    const json = JSON.stringify(summaryJson([report], { source: 's', fromMs: START, toMs: START + demand.length * 60_000, generatedAtMs: 0 }));
    expect(json.length).toBeLessThan(20_000);
    const html = reportHtml({ title: 't', source: 's', fromMs: START, toMs: START, generatedAtMs: 0, targets: [report] });
    expect(html).toContain('A &lt;wedding&gt;');
    expect(html).not.toContain('A <wedding>');
    expect(html).not.toMatch(/<(link|img|iframe)\b|src=|href="http/);
  });
});

describe('report cost (currency next to replica-hours)', () => {
  const price = { perReplicaHour: 0.0543, currency: 'EUR', source: 'table' as const, detail: 'aks/westeurope on-demand' };
  const priced = buildTargetReport({
    id: 'api',
    trace,
    agentReplicas,
    summary: { agent: {}, price } as unknown as ReplaySummary,
    cluster: null,
    rules: weddingRulesSchema.parse({}),
    timezones: [],
  });

  test('summary.json: every policy and weekend has cost and currency beside replicaHours', () => {
    const json = summaryJson([priced], { source: 's', fromMs: START, toMs: START, generatedAtMs: 0 }) as {
      targets: Array<{
        price: unknown;
        policies: Record<string, { replicaHours: number; cost: number; currency: string }>;
        weekends: Array<{ policies: Record<string, { replicaHours: number; cost: number }> }>;
      }>;
    };
    const t = json.targets[0];
    expect(t.price).toEqual({ perReplicaHour: 0.0543, currency: 'EUR', source: 'table', detail: 'aks/westeurope on-demand' });
    for (const p of Object.values(t.policies)) expect(p).toMatchObject({ currency: 'EUR', cost: expect.closeTo(p.replicaHours * 0.0543, 3) });
    for (const p of Object.values(t.weekends[0].policies)) expect(p.cost).toBeCloseTo(p.replicaHours * 0.0543, 3);
  });

  test('report.html: a cost column in the currency, and the price it used', () => {
    const html = reportHtml({ title: 't', source: 's', fromMs: START, toMs: START, generatedAtMs: 0, targets: [priced] });
    expect(html).toContain('<th>cost (EUR)</th>');
    const agentHours = priced.policies[0].score.replicaHours;
    expect(html).toContain(`<td data-testid="cost">${(agentHours * 0.0543).toFixed(2)} EUR</td>`);
    expect(html).toMatch(/One replica-hour costs 0\.0543 EUR \(table: aks\/westeurope on-demand\)/);
  });

  test('no price: "unknown", never 0', () => {
    const html = reportHtml({ title: 't', source: 's', fromMs: START, toMs: START, generatedAtMs: 0, targets: [report] });
    expect(html).toContain('<td data-testid="cost">unknown</td>');
    expect(html).not.toMatch(/data-testid="cost">0[.\s]/);
    const json = summaryJson([report], { source: 's', fromMs: START, toMs: START, generatedAtMs: 0 }) as {
      targets: Array<{ policies: Record<string, { cost: number | null }> }>;
    };
    expect(json.targets[0].policies.agent.cost).toBeNull();
  });
});
