/** The replay end to end on a generated trace (no shared data): the real Agent, loop and planner. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main';
import { compareOnTrace, type ReplaySummary } from './compare';
import { replayAgent } from './run-replay';
import { readyReplicas } from './score';
import { writeSyntheticTrace } from '../../test-support/synthetic-trace';
import { readTrace } from './trace';

describe('replay on a generated two-day trace', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wedsync-replay-'));
    writeSyntheticTrace(join(dir, 'trace'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('scores the agent against static peak, HPA v2 and the oracle in one run', async () => {
    const { summary, agentReplicas } = await compareOnTrace(readTrace(join(dir, 'trace')));
    expect(agentReplicas.length).toBe(2 * 1440);
    const { agent, hpa_v2, oracle, static_peak } = summary.policies;
    expect(oracle.overloadMinutes).toBe(0);
    expect(static_peak.overloadMinutes).toBe(0);
    expect(hpa_v2.overloadMinutes).toBeGreaterThan(0);
    // The surge rule and the predictive rule must beat the HPA's lag on the surge and the evening steps.
    expect(agent.overloadMinutes).toBeLessThan(hpa_v2.overloadMinutes);
    expect(agent.unservedRequests).toBeLessThan(hpa_v2.unservedRequests);
    expect(agent.replicaHours).toBeLessThan(static_peak.replicaHours);
    expect(summary.agent.finalRules.surge).toBeGreaterThan(0);
    expect(summary.agent.deployFreezeSteps).toBeGreaterThan(8 * 60); // the Saturday wedding's 10-hour window
    expect(summary.policies.oracle_hold.replicaHours).toBeGreaterThanOrEqual(oracle.replicaHours);
    expect(summary.policies.oracle_hold.overloadMinutes).toBe(0);
    expect(summary.agentVsHpa.overloadMinutes).toBeCloseTo(agent.overloadMinutes / hpa_v2.overloadMinutes, 2);
  });

  test('comes back down after the surge has passed', async () => {
    const trace = readTrace(join(dir, 'trace'));
    const { replicas } = await replayAgent(trace);
    const surgeAt = 11 * 60; // Friday: no wedding protection holds it up
    const during = Math.max(...replicas.slice(surgeAt, surgeAt + 12));
    const after = replicas[surgeAt + 90];
    expect(during).toBeGreaterThan(30);
    expect(after).toBeLessThan(during / 2);
  });

  test('fail-safe: while load is missing the agent never scales down', async () => {
    const trace = readTrace(join(dir, 'trace'));
    // The evening step ends at 23:00 on day one: blind from 22:50 for 40 minutes, when demand falls.
    const from = 22 * 60 + 50;
    const missing = (k: number) => k >= from && k < from + 40;
    const { replicas, holdingSteps } = await replayAgent(trace, { missing });
    expect(holdingSteps).toBeGreaterThan(30);
    for (let k = from + 1; k < from + 40; k++) expect(replicas[k]).toBeGreaterThanOrEqual(replicas[k - 1]);
    expect(readyReplicas(replicas, 3)[from + 39]).toBeGreaterThanOrEqual(replicas[from - 1]);
  });

  test('the command writes timestamp,replicas per minute and prints the JSON summary', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const output = join(dir, 'replicas.csv');
    const code = await main(['node', 'wedsync-agent', 'replay', '--trace', join(dir, 'trace'), '--output', output], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const csv = readFileSync(output, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('timestamp,replicas');
    expect(csv).toHaveLength(2 * 1440 + 1);
    expect(csv[1]).toMatch(/^2027-06-04T00:00:00.000Z,\d+$/);
    const summary = JSON.parse(out.join('\n')) as ReplaySummary;
    expect(Object.keys(summary.policies)).toEqual(['agent', 'static_peak', 'hpa_v2', 'oracle', 'oracle_hold']);
  });

  test('--config contributes the policy and wedding rules (here: Saturday protection off)', async () => {
    const cfg = join(dir, 'no-saturday.yaml');
    writeFileSync(
      cfg,
      [
        'sources: { trace: { type: push } }',
        'wedding: { protectedWeekdays: [] }',
        'targets:',
        '  - { id: web, kubernetes: { namespace: a, name: b }, load: { source: trace, query: rps }, capacityPerPod: 50, maxReplicas: 9 }',
      ].join('\n'),
    );
    const out: string[] = [];
    const code = await main(['node', 'wedsync-agent', 'replay', '--trace', join(dir, 'trace'), '--config', cfg, '--output', join(dir, 'r2.csv')], {
      out: (l) => out.push(l),
      err: () => undefined,
    });
    expect(code).toBe(0);
    const summary = JSON.parse(out.join('\n')) as ReplaySummary;
    expect(summary.agent.deployFreezeSteps).toBe(0);
    // The service shape still comes from the trace (maxReplicas 100, not the config's 9).
    expect(summary.policies.agent.peakReplicas).toBeGreaterThan(9);
  });

  test("replica-hours come with their cost in the config's currency (price table × the target's pod requests); unknown without one", async () => {
    const cfg = join(dir, 'priced.yaml');
    writeFileSync(
      cfg,
      [
        'sources: { trace: { type: push } }',
        'pricing: { currency: EUR, provider: aks, region: westeurope, table: { aks: { westeurope: { onDemand: { vcpuHour: 0.05, gibHour: 0.006 } } } } }',
        'targets:',
        '  - { id: web, kubernetes: { namespace: a, name: b }, load: { source: trace, query: rps }, capacityPerPod: 50, maxReplicas: 9, cost: { podRequests: { cpu: 1, memoryGiB: 2 } } }',
      ].join('\n'),
    );
    const out: string[] = [];
    expect(
      await main(['node', 'wedsync-agent', 'replay', '--trace', join(dir, 'trace'), '--config', cfg, '--output', join(dir, 'r4.csv')], {
        out: (l) => out.push(l),
        err: () => undefined,
      }),
    ).toBe(0);
    const summary = JSON.parse(out.join('\n')) as ReplaySummary;
    const price = 1 * 0.05 + 2 * 0.006;
    expect(summary.price).toMatchObject({ currency: 'EUR', source: 'table' });
    expect(summary.price.perReplicaHour).toBeCloseTo(price, 10);
    for (const p of Object.values(summary.policies)) {
      expect(p.currency).toBe('EUR');
      expect(p.cost).toBeCloseTo(p.replicaHours * price, 3);
    }
    // Without a price table: unknown (null), never 0.
    const bare: string[] = [];
    await main(['node', 'wedsync-agent', 'replay', '--trace', join(dir, 'trace'), '--output', join(dir, 'r5.csv')], {
      out: (l) => bare.push(l),
      err: () => undefined,
    });
    const unpriced = JSON.parse(bare.join('\n')) as ReplaySummary;
    expect(unpriced.price.perReplicaHour).toBeNull();
    expect(unpriced.policies.agent.cost).toBeNull();
  });

  test('an invalid --config is refused with the key at fault, exit code 2', async () => {
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(
      cfg,
      [
        'sources: { trace: { type: push } }',
        'policy: { tolerance: 7 }',
        'targets:',
        '  - { id: web, kubernetes: { namespace: a, name: b }, load: { source: trace, query: rps }, capacityPerPod: 50, maxReplicas: 9 }',
      ].join('\n'),
    );
    const err: string[] = [];
    const code = await main(['node', 'wedsync-agent', 'replay', '--trace', join(dir, 'trace'), '--config', cfg, '--output', join(dir, 'r3.csv')], {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/policy\.tolerance/);
  });

  test('a trace.csv with a repeated clock hour, an empty and a non-numeric value replays, reported in one stderr line', async () => {
    const err: string[] = [];
    const out: string[] = [];
    const trace = join(__dirname, '..', '__fixtures__', 'real-data', 'trace-repeated-hour');
    const code = await main(['node', 'wedsync-agent', 'replay', '--trace', trace, '--output', join(dir, 'rh.csv')], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    expect(code).toBe(0);
    expect(err).toEqual([
      expect.stringMatching(
        /^replay: .*trace-repeated-hour\/trace\.csv: 1 backward timestamp \(first at row 242; placed at its own timestamp\), 60 repeated timestamps \(first at row 242; last value wins\), 1 gap of 2 missing steps in all/,
      ),
    ]);
    const summary = JSON.parse(out.join('\n')) as ReplaySummary;
    expect(summary.minutes).toBe(480);
    expect(readFileSync(join(dir, 'rh.csv'), 'utf8').trim().split('\n')).toHaveLength(481);
  });

  test('a bad trace folder is a clear error, exit code 2', async () => {
    const err: string[] = [];
    const code = await main(['node', 'wedsync-agent', 'replay', '--trace', join(dir, 'nope'), '--output', join(dir, 'x.csv')], {
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/replay: .*nope\/meta.json: cannot read \(ENOENT\)/);
  });
});
