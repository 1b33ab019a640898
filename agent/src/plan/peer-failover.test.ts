/** Peer failover (peer-failover.ts), table-driven, and through planReplicas. Pure: no clock, no I/O. */
import { indexCalendar } from '../calendar/rules';
import { targetCalendar } from '../calendar/target-calendar';
import { policySchema, targetSchema, weddingRulesSchema, type TargetConfig } from '../config/schema';
import { peerFailover, type FleetInput, type PeerFailoverMemory } from './peer-failover';
import { planReplicas } from './plan-replicas';
import { EMPTY_MEMORY, type PlanMemory } from './types';

const T0 = Date.parse('2027-01-13T12:00:00Z');
// 35 load per pod at target utilisation.
const target: TargetConfig = targetSchema.parse({
  id: 'web',
  kubernetes: { namespace: 'w', name: 'web' },
  load: { source: 'push', query: 'rps' },
  capacityPerPod: 50,
  minReplicas: 2,
  maxReplicas: 40,
});
const fleet = (lost: string[], over: Partial<FleetInput> = {}): FleetInput => ({
  dataOk: true,
  error: null,
  selfShare: 1,
  peers: ['b', 'c'].map((cluster) => ({ cluster, share: 1, lost: lost.includes(cluster) })),
  releaseSeconds: 600,
  ...over,
});
const raised = (floor: number, lost = ['b']): PeerFailoverMemory => ({ baseLoad: 350, lost, floor, releaseStartMs: null, releaseFrom: null });

interface Row {
  name: string;
  fleet: FleetInput | undefined;
  observed: number | null;
  memory?: PeerFailoverMemory | null;
  now?: number;
  floor: number | null;
  hold?: boolean;
  detail?: RegExp;
  memoryAfter?: Partial<PeerFailoverMemory> | null;
}

const rows: Row[] = [
  { name: 'no fleet configured: nothing', fleet: undefined, observed: 350, floor: null, memoryAfter: null },
  { name: 'all peers up, nothing raised: nothing', fleet: fleet([]), observed: 350, floor: null, memoryAfter: null },
  // 3 equal clusters, one lost: the two survivors take half again each: 350 × 1.5 = 525 → 15 pods.
  {
    name: 'one of three equal peers lost: load × (1 + 1/2)',
    fleet: fleet(['b']),
    observed: 350,
    floor: 15,
    detail: /^peer cluster b lost: taking 50 % more/,
    memoryAfter: { baseLoad: 350, lost: ['b'], floor: 15 },
  },
  // Both peers lost: this cluster takes everything: × 3 = 1050 → 30 pods.
  { name: 'both peers lost: load × 3', fleet: fleet(['b', 'c']), observed: 350, floor: 30, detail: /^peer cluster b, c lost/ },
  {
    name: 'shares weigh the split: a peer twice our size lost → × 3',
    fleet: fleet(['b'], { peers: [{ cluster: 'b', share: 2, lost: true }] }),
    observed: 350,
    floor: 30,
  },
  { name: 'capped by maxReplicas, and says so', fleet: fleet(['b', 'c']), observed: 700, floor: 40, detail: /capped by maxReplicas 40/ },
  {
    name: 'the base load is kept from the onset: the traffic that arrives is not counted twice',
    fleet: fleet(['b']),
    observed: 525,
    memory: raised(15),
    floor: 15,
    memoryAfter: { baseLoad: 350 },
  },
  { name: 'no load reading at the onset: the base is what runs now', fleet: fleet(['b']), observed: null, floor: 15, memoryAfter: { baseLoad: 10 * 35 } },
  {
    name: 'global store down, nothing raised: hold (no scale-down), no raise',
    fleet: fleet(['b'], { dataOk: false, error: 'timeout' }),
    observed: 350,
    floor: null,
    hold: true,
    detail: /fleet data missing \(timeout\)/,
  },
  {
    name: 'global store down while raised: hold the floor, no release',
    fleet: fleet([], { dataOk: false, error: 'timeout' }),
    observed: 100,
    memory: raised(15),
    floor: 15,
    hold: true,
    detail: /^peer cluster b lost; fleet data missing/,
    memoryAfter: raised(15),
  },
  {
    name: 'peer back: the release starts from the raised floor',
    fleet: fleet([]),
    observed: 350,
    memory: raised(15),
    floor: 15,
    detail: /peer cluster b back: releasing/,
    memoryAfter: { releaseStartMs: T0, releaseFrom: 15 },
  },
  // Half-way through a 600 s release from 15 towards the base (10): 12.5 → 13.
  {
    name: 'half-way through the release: half the extra is gone',
    fleet: fleet([]),
    observed: 350,
    memory: { ...raised(15), releaseStartMs: T0 - 300_000, releaseFrom: 15 },
    floor: 13,
  },
  {
    name: 'release over: nothing left, memory cleared',
    fleet: fleet([]),
    observed: 350,
    memory: { ...raised(15), releaseStartMs: T0 - 600_000, releaseFrom: 15 },
    floor: null,
    memoryAfter: null,
  },
  {
    name: 'lost again while releasing: back to the full floor',
    fleet: fleet(['b']),
    observed: 400,
    memory: { ...raised(13), releaseStartMs: T0 - 300_000, releaseFrom: 15 },
    floor: 15,
    memoryAfter: { releaseStartMs: null },
  },
];

describe('peerFailover', () => {
  test.each(rows)('$name', (r) => {
    const out = peerFailover(target, r.fleet, r.observed, 10, r.memory ?? null, r.now ?? T0);
    expect(out.floor).toBe(r.floor);
    expect(out.hold).toBe(r.hold ?? false);
    if (r.detail) expect(out.detail).toMatch(r.detail);
    if (r.memoryAfter === null) expect(out.memory).toBeNull();
    else if (r.memoryAfter) expect(out.memory).toMatchObject(r.memoryAfter);
  });
});

describe('planReplicas with a lost peer', () => {
  const plan = (current: number, observed: number | null, f: FleetInput | undefined, memory: Partial<PlanMemory> = {}) =>
    planReplicas(
      {
        target,
        currentReplicas: current,
        observed,
        forecast: [],
        calendar: targetCalendar(indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})), target, T0),
        overrides: [],
        memory: { ...EMPTY_MEMORY, ...memory },
        fleet: f,
      },
      policySchema.parse({}),
      T0,
    );

  test('raises the floor above what demand asks for, with the reason "peer cluster b lost", skipping the step limits', () => {
    const { decision, memory } = plan(10, 350, fleet(['b']));
    expect(decision.desiredReplicas).toBe(15);
    expect(decision.reasons.at(-1)).toMatchObject({ rule: 'peer-failover', replicas: 15, detail: expect.stringContaining('peer cluster b lost') });
    expect(decision.protections).toContain('peer_failover');
    expect(memory.peerFailover).toMatchObject({ baseLoad: 350, floor: 15 });
  });

  test('the global store down: no scale-down though the load fell, the floor held', () => {
    const { memory } = plan(10, 350, fleet(['b']));
    const { decision } = plan(18, 35, fleet([], { dataOk: false, error: 'timeout' }), memory);
    expect(decision.desiredReplicas).toBe(18);
    expect(decision.protections).toEqual(expect.arrayContaining(['peer_failover', 'fleet_data_missing']));
    expect(decision.reasons.map((r) => r.rule)).toContain('fleet-hold');
  });

  test('without fleet input the decision is what it always was', () => {
    expect(plan(10, 350, undefined).decision.desiredReplicas).toBe(10);
  });
});
