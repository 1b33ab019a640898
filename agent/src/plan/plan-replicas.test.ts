/** One row per planner rule (issue 8), including time-zone and DST cases. Pure: no clock, no I/O. */
import { indexCalendar } from '../calendar/rules';
import { targetCalendar } from '../calendar/target-calendar';
import type { Wedding } from '../calendar/model';
import { policySchema, targetSchema, weddingRulesSchema, type PlanPolicy, type TargetConfig } from '../config/schema';
import { BURST_BIN_EDGES } from './burst-headroom';
import { activeOverrides } from './overrides';
import { planReplicas } from './plan-replicas';
import { EMPTY_MEMORY, type Override, type PlanInput, type PlanMemory } from './types';

const MIN = 60_000;
const target = (over: Partial<TargetConfig> = {}): TargetConfig =>
  targetSchema.parse({
    id: 'web',
    kubernetes: { namespace: 'wed', name: 'web' },
    load: { source: 'push', query: 'rps' },
    capacityPerPod: 50,
    targetUtilization: 0.7, // 35 rps per pod at target
    minReplicas: 2,
    maxReplicas: 400,
    podStartupSeconds: 180,
    ...over,
  });

const wedding = (over: Partial<Wedding>): Wedding => ({
  id: 'w1',
  title: 'W',
  start: '2027-06-05T14:00:00+01:00',
  timezone: 'Europe/London',
  days: 1,
  guests: 100,
  tradition: 'british',
  vendors: 3,
  ...over,
});

const JAN_WED = Date.parse('2027-01-13T12:00:00Z'); // a Wednesday, off-season, no weddings
const SAT_LONDON = Date.parse('2027-06-05T14:30:00Z'); // Saturday; a London wedding at 14:00 BST is in reception

function plan(p: {
  now?: number;
  target?: Partial<TargetConfig>;
  policy?: Partial<PlanPolicy>;
  current: number;
  observed: number | null;
  weddings?: Wedding[];
  rules?: Record<string, unknown>;
  memory?: Partial<PlanMemory>;
  overrides?: Override[];
  forecast?: Array<[offsetMs: number, value: number]>;
  anomaly?: PlanInput['anomaly'];
  monoMs?: number;
  readFailed?: boolean;
}) {
  const now = p.now ?? JAN_WED;
  const t = target(p.target);
  // What the pipeline's target view hands the planner: the calendar's answers now, the overrides in force.
  const input: PlanInput = {
    target: t,
    currentReplicas: p.current,
    observed: p.observed,
    forecast: (p.forecast ?? []).map(([dt, value]) => ({ tMs: now + dt, value, lower: value, upper: value })),
    calendar: targetCalendar(indexCalendar({ weddings: p.weddings ?? [] }, weddingRulesSchema.parse(p.rules ?? {})), t, now),
    overrides: activeOverrides(p.overrides ?? [], t.id, now),
    memory: { ...EMPTY_MEMORY, ...p.memory },
    anomaly: p.anomaly,
    monoMs: p.monoMs,
    readFailed: p.readFailed,
  };
  return planReplicas(input, policySchema.parse(p.policy ?? {}), now);
}

/** Burst history whose every recorded rise within one start-up is `pods` pods' worth (a bin edge). */
const burstHistory = (pods: number): PlanMemory['burst'] => ({ pending: [], weights: BURST_BIN_EDGES.map((e) => (e === pods ? 600 : 0)), atMs: JAN_WED - MIN });

const override = (o: Partial<Override>): Override => ({
  id: 'o1',
  targetId: 'web',
  type: 'pin',
  untilMs: JAN_WED + 60 * MIN,
  untilWeddingEnds: false,
  reason: 'launch',
  author: 'ops',
  createdAtMs: JAN_WED - MIN,
  ...o,
});

interface Row {
  name: string;
  args: Parameters<typeof plan>[0];
  desired: number;
  rule?: string;
  protections?: string[];
  deployFreeze?: boolean;
  holding?: boolean;
}

const rows: Row[] = [
  { name: 'reactive: HPA v2 rule, ceil(observed / (capacity × utilisation))', args: { current: 5, observed: 350 }, desired: 10, rule: 'reactive' },
  { name: 'reactive: within the 10 % tolerance nothing changes', args: { current: 10, observed: 370 }, desired: 10, rule: 'reactive' },
  {
    name: 'predictive: forecast peak inside [now + start-up, now + start-up + window] only',
    args: {
      current: 10,
      observed: 350,
      forecast: [
        [60_000, 9000],
        [180_000, 560],
        [420_000, 700],
        [481_000, 9000],
      ],
      policy: { predictiveWindowSeconds: 300 },
    },
    desired: 20,
    rule: 'predictive',
  },
  {
    name: 'predictive: a forecast peak within the 10 % tolerance keeps the current count (no flapping on forecast noise)',
    args: { current: 10, observed: 350, forecast: [[180_000, 380]] },
    desired: 10,
  },
  {
    name: 'predictive: a peak sooner than the start-up lead cannot be served in time and is ignored',
    args: { current: 10, observed: 350, forecast: [[60_000, 1400]] },
    desired: 10,
  },
  {
    name: 'wedding headroom: +20 % for a wedding-critical target while its wedding is live',
    args: {
      now: Date.parse('2027-01-13T15:00:00Z'),
      target: { weddingCritical: true },
      current: 10,
      observed: 350,
      weddings: [wedding({ start: '2027-01-13T14:00:00+00:00' })],
    },
    desired: 12,
    rule: 'wedding-headroom',
    protections: ['wedding_headroom'],
  },
  {
    name: 'wedding headroom: not for a target that is not wedding-critical',
    args: { now: Date.parse('2027-01-13T15:00:00Z'), current: 10, observed: 350, weddings: [wedding({ start: '2027-01-13T14:00:00+00:00' })] },
    desired: 10,
  },
  {
    name: 'peak season: +40 % on the floor (minReplicas 5 → 7 in June)',
    args: { now: Date.parse('2027-06-09T03:00:00Z'), target: { minReplicas: 5 }, current: 5, observed: 10 },
    desired: 7,
    rule: 'peak-season',
    protections: ['peak_season'],
  },
  {
    name: 'peak season, time zone: 30 April 13:00 UTC is already May in Auckland',
    args: {
      now: Date.parse('2027-04-30T13:00:00Z'),
      target: { minReplicas: 5 },
      current: 5,
      observed: 10,
      rules: { peakSeason: { regions: { north: [5] }, timezone: 'Pacific/Auckland' } },
    },
    desired: 7,
    rule: 'peak-season',
  },
  {
    name: 'Saturday protection: never below the window’s peak need while a Saturday wedding is live, deploy freeze set',
    args: { now: SAT_LONDON, current: 30, observed: 40, weddings: [wedding({})], memory: { protectedPeak: 30 }, policy: { peakSeasonPreScale: 0 } },
    desired: 30,
    rule: 'saturday-protection',
    protections: ['saturday'],
    deployFreeze: true,
  },
  {
    name: 'Saturday protection with saturdayHold: all keeps even a surge overshoot demand never confirmed (no scale-down at all)',
    args: {
      now: SAT_LONDON,
      current: 60,
      observed: 40,
      weddings: [wedding({})],
      memory: { protectedPeak: 30 },
      policy: { peakSeasonPreScale: 0, maxScaleDownRatio: 1, saturdayHold: 'all' },
    },
    desired: 60,
    rule: 'saturday-protection',
    deployFreeze: true,
  },
  {
    name: 'Saturday protection (default hold: peak) keeps the window’s peak need, not what a passing surge or burst headroom added',
    args: {
      now: SAT_LONDON,
      current: 60,
      observed: 40,
      weddings: [wedding({})],
      memory: { protectedPeak: 30 },
      policy: { peakSeasonPreScale: 0, maxScaleDownRatio: 1 },
    },
    desired: 30,
    rule: 'saturday-protection',
    deployFreeze: true,
  },
  {
    name: 'Saturday protection (peak): the window’s peak rises with what the load needs (700 rps = 20 pods), and is kept',
    args: {
      now: SAT_LONDON,
      current: 60,
      observed: 700,
      weddings: [wedding({})],
      memory: { protectedPeak: 12 },
      policy: { peakSeasonPreScale: 0, maxScaleDownRatio: 1 },
    },
    desired: 20,
    deployFreeze: true,
  },
  {
    name: 'Saturday protection (peak): a window opens on what is needed then, not on room a surge left running',
    args: { now: SAT_LONDON, current: 60, observed: 40, weddings: [wedding({})], policy: { peakSeasonPreScale: 0, maxScaleDownRatio: 1 } },
    desired: 2,
    deployFreeze: true,
  },
  {
    name: 'Saturday protection with saturdayHold: demand holds what demand asked for in the window, not a surge overshoot demand never confirmed',
    args: {
      now: SAT_LONDON,
      current: 60,
      observed: 40,
      weddings: [wedding({})],
      memory: { protectedPeak: 30 },
      policy: { peakSeasonPreScale: 0, maxScaleDownRatio: 1, saturdayHold: 'demand' },
    },
    desired: 30,
    rule: 'saturday-protection',
    deployFreeze: true,
  },
  {
    name: 'Saturday protection, time zone: Saturday in Kolkata while still Friday in New York',
    args: {
      now: Date.parse('2027-06-05T03:00:00Z'),
      current: 30,
      observed: 40,
      weddings: [wedding({ start: '2027-06-05T08:00:00+05:30', timezone: 'Asia/Kolkata' })],
      memory: { protectedPeak: 30 },
      policy: { peakSeasonPreScale: 0 },
    },
    desired: 30,
    deployFreeze: true,
  },
  {
    name: 'Saturday protection: only weddings in the target time zones count',
    args: {
      now: Date.parse('2027-06-05T03:00:00Z'),
      target: { timezones: ['America/New_York'] },
      current: 30,
      observed: 40,
      weddings: [wedding({ start: '2027-06-05T08:00:00+05:30', timezone: 'Asia/Kolkata' })],
      policy: { peakSeasonPreScale: 0 },
    },
    desired: 27,
    deployFreeze: false,
  },
  {
    name: 'Saturday protection, DST: a Saturday reception running past the New York fall-back stays protected',
    args: {
      now: Date.parse('2027-11-07T06:30:00Z'),
      current: 30,
      observed: 40,
      weddings: [wedding({ start: '2027-11-06T20:00:00-04:00', timezone: 'America/New_York' })],
      memory: { protectedPeak: 30 },
      policy: { peakSeasonPreScale: 0 },
    },
    desired: 30,
    deployFreeze: true,
  },
  {
    name: 'Saturday protection, DST: day 2 (Sunday, after the London spring-forward) is not protected',
    args: { now: Date.parse('2027-03-28T13:30:00Z'), current: 30, observed: 40, weddings: [wedding({ start: '2027-03-27T14:00:00+00:00', days: 2 })] },
    desired: 27,
    deployFreeze: false,
  },
  {
    name: 'post-wedding ramp-down: at most 5 % per minute after the protecting window',
    args: { current: 40, observed: 40, memory: { lastProtectedMs: JAN_WED - MIN, protectedReplicas: 40, lastTickMs: JAN_WED - 15_000 } },
    desired: 38,
    rule: 'post-wedding-rampdown',
    protections: ['post_wedding_rampdown'],
  },
  {
    name: 'post-wedding ramp-down: compounded from the window end (10 min: 40 × 0.95^10 → 24), whatever the tick period',
    args: {
      current: 30,
      observed: 40,
      memory: { lastProtectedMs: JAN_WED - 10 * MIN, protectedReplicas: 40, lastTickMs: JAN_WED - 15_000 },
      policy: { maxScaleDownRatio: 1 },
    },
    desired: 24,
    rule: 'post-wedding-rampdown',
  },
  {
    name: 'post-wedding ramp-down: at least one pod a minute for a small deployment (5 % of 8 is under a pod)',
    args: { current: 8, observed: 10, memory: { lastProtectedMs: JAN_WED - 2 * MIN, protectedReplicas: 8 }, policy: { maxScaleDownRatio: 1 } },
    desired: 6,
    rule: 'post-wedding-rampdown',
  },
  {
    name: 'post-wedding ramp-down: 15 s after the window no pod’s worth has accrued yet',
    args: { current: 40, observed: 40, memory: { lastProtectedMs: JAN_WED - 15_000, protectedReplicas: 40, lastTickMs: JAN_WED - 15_000 } },
    desired: 40,
    rule: 'post-wedding-rampdown',
  },
  { name: 'max step down: at most −10 % per 15 s period', args: { current: 40, observed: 40 }, desired: 36, rule: 'max-step-down' },
  { name: 'max step up: at most max(+100 %, +4 pods) per 15 s period', args: { current: 3, observed: 3500 }, desired: 7, rule: 'max-step-up' },
  {
    name: 'max step up: compounded over the periods since the last decision (60 s = 4 periods)',
    args: { current: 3, observed: 3500, memory: { lastTickMs: JAN_WED - MIN } },
    desired: 56,
    rule: 'max-step-up',
  },
  {
    name: 'calendar step: pre-provision for the rise in expected wedding load one start-up ahead',
    // 14:00 ceremony (London, January = UTC): pre-phase load 100 guests × 0.1 × 0.5 = 5 at 12:00, ceremony 10 at 14:00.
    args: { now: Date.parse('2027-01-13T13:56:00Z'), current: 10, observed: 350, weddings: [wedding({ start: '2027-01-13T14:00:00+00:00', guests: 1000 })] },
    desired: 12,
    rule: 'calendar-step',
  },
  { name: 'bounds: never above maxReplicas', args: { current: 395, observed: 100_000 }, desired: 400, rule: 'bounds' },
  {
    name: 'stabilisation: a scale-down keeps the highest recommendation of the last 300 s',
    args: { current: 20, observed: 100, memory: { recommendations: [{ tMs: JAN_WED - 200_000, replicas: 20 }] } },
    desired: 20,
    rule: 'stabilisation',
  },
  {
    name: 'stabilisation: recommendations older than the window no longer hold',
    args: { current: 20, observed: 100, memory: { recommendations: [{ tMs: JAN_WED - 400_000, replicas: 20 }] } },
    desired: 18,
  },
  {
    name: 'override pin: exact replicas whatever demand says',
    args: { current: 10, observed: 700, overrides: [override({ replicas: 7 })] },
    desired: 7,
    rule: 'override-pin',
    protections: ['override_pin'],
  },
  {
    name: 'override pin: expired overrides vanish',
    args: { current: 10, observed: 700, overrides: [override({ replicas: 7, untilMs: JAN_WED })] },
    desired: 20,
  },
  {
    name: 'override pin: another target’s override is ignored',
    args: { current: 10, observed: 700, overrides: [override({ replicas: 7, targetId: 'api' })] },
    desired: 20,
  },
  {
    name: 'override floor: at least N',
    args: { current: 10, observed: 350, overrides: [override({ type: 'floor', replicas: 15 })] },
    desired: 15,
    rule: 'override-floor',
    protections: ['override_floor'],
  },
  {
    name: 'override freeze: no scale-down',
    args: { current: 30, observed: 40, overrides: [override({ type: 'freeze' })] },
    desired: 30,
    rule: 'override-freeze',
    protections: ['override_freeze'],
  },
  {
    name: 'surge: on the detector onset, provision for the rise continued one start-up ahead (200 + 3 × 100/min)',
    args: {
      current: 6,
      observed: 200,
      memory: { recentLoad: [{ tMs: JAN_WED - MIN, value: 100 }] },
      anomaly: { score: 0.9, kind: 'spike' },
      policy: { maxScaleUpRatio: 10 },
    },
    desired: 15,
    rule: 'surge',
  },
  {
    name: 'surge: the extrapolation is capped at surgeMaxGrowth × the load now',
    args: {
      current: 6,
      observed: 200,
      memory: { recentLoad: [{ tMs: JAN_WED - MIN, value: 20 }] },
      anomaly: { score: 0.9, kind: 'spike' },
      policy: { maxScaleUpRatio: 10, surgeMaxGrowth: 2 },
    },
    desired: 12,
    rule: 'surge',
  },
  {
    name: 'surge: load 50 % above what the last forecast said for now also arms it (no detector verdict)',
    args: {
      current: 6,
      observed: 200,
      memory: {
        recentLoad: [{ tMs: JAN_WED - MIN, value: 100 }],
        forecastSoon: [
          { tMs: JAN_WED - 15_000, value: 118 },
          { tMs: JAN_WED + 45_000, value: 120 },
        ],
      },
      policy: { maxScaleUpRatio: 10 },
    },
    desired: 15,
    rule: 'surge',
  },
  {
    name: 'surge: a flat minute near the peak keeps the peak’s replicas',
    args: {
      current: 15,
      observed: 480,
      memory: { recentLoad: [{ tMs: JAN_WED - MIN, value: 500 }], surge: { sinceMs: JAN_WED - 3 * MIN, peakExpected: 800, peakObserved: 500 } },
    },
    desired: 15,
    rule: 'surge',
  },
  {
    name: 'surge: a rise without the detector onset is left to the reactive rule',
    args: { current: 6, observed: 200, memory: { recentLoad: [{ tMs: JAN_WED - MIN, value: 100 }] }, anomaly: { score: 0.2, kind: 'spike' } },
    desired: 6,
  },
  {
    name: 'surge: once the rise has passed it lets go and capacity comes back down',
    args: {
      current: 23,
      observed: 190,
      memory: {
        recentLoad: [{ tMs: JAN_WED - MIN, value: 200 }],
        surge: { sinceMs: JAN_WED - 2 * MIN, peakExpected: 800 },
        recommendations: [{ tMs: JAN_WED - MIN, replicas: 6 }],
      },
      policy: { maxScaleDownRatio: 1 },
    },
    desired: 6,
  },
  {
    // 350 rps = 7 pods at full capacity; recent rises of up to 4 pods within one start-up (98th percentile ≈ 3.99).
    name: 'burst headroom: room at full capacity for the load now plus the recent high-quantile rise within one start-up',
    args: { current: 10, observed: 350, memory: { burst: burstHistory(4) } },
    desired: 11,
    rule: 'burst-headroom',
  },
  {
    name: 'burst headroom: where the series rises little within a start-up, the target utilisation’s headroom covers it (no extra pods)',
    args: { current: 10, observed: 350, memory: { burst: burstHistory(0.5) } },
    desired: 10,
  },
  {
    name: 'burst headroom: the room is in pods, not a multiple of the load (the same 4 pods at a quiet hour)',
    args: { current: 2, observed: 20, memory: { burst: burstHistory(4) } },
    desired: 5,
    rule: 'burst-headroom',
  },
  {
    name: 'burst headroom: burstQuantile 0 turns it off',
    args: { current: 10, observed: 350, memory: { burst: burstHistory(4) }, policy: { burstQuantile: 0 } },
    desired: 10,
  },
  {
    name: 'burst headroom is not a recommendation for stabilisation: when the history calms, the room goes at once',
    args: {
      current: 12,
      observed: 350,
      memory: { burst: burstHistory(0.5), recommendations: [{ tMs: JAN_WED - MIN, replicas: 10 }], lastTickMs: JAN_WED - MIN },
    },
    desired: 10,
  },
  {
    name: 'burst headroom: missing load learns nothing and the fail-safe holds',
    args: { current: 11, observed: null, memory: { burst: burstHistory(4), lastGood: 11 } },
    desired: 11,
    holding: true,
  },
  {
    name: 'rising hold: no scale-down while the load rises beyond the tolerance (a surge’s extra pods are kept through the rise)',
    args: { current: 30, observed: 600, memory: { recentLoad: [{ tMs: JAN_WED - MIN, value: 500 }] }, policy: { maxScaleDownRatio: 1 } },
    desired: 30,
    rule: 'rising-hold',
  },
  {
    name: 'rising hold: a rise within the tolerance is noise, and capacity comes down as usual',
    args: { current: 30, observed: 540, memory: { recentLoad: [{ tMs: JAN_WED - MIN, value: 500 }] }, policy: { maxScaleDownRatio: 1 } },
    desired: 16,
  },
  {
    name: 'fail-safe: missing load holds the last good decision',
    args: { current: 10, observed: null, memory: { lastGood: 14 } },
    desired: 14,
    rule: 'fail-safe',
    protections: ['stale_data'],
    holding: true,
  },
  {
    name: 'fail-safe: a failed read with a young last good reading may scale up on it, never down (the soak found this)',
    args: { current: 30, observed: 300, readFailed: true, policy: { maxScaleDownRatio: 1 } },
    desired: 30,
    rule: 'fail-safe',
  },
  { name: 'the same reading read well this tick scales down', args: { current: 30, observed: 300, policy: { maxScaleDownRatio: 1 } }, desired: 9 },
  { name: 'fail-safe: missing load never scales down', args: { current: 10, observed: null, memory: { lastGood: 5 } }, desired: 10, holding: true },
  {
    name: 'fail-safe: missing load keeps the calendar floor (peak season)',
    args: { now: Date.parse('2027-06-09T03:00:00Z'), target: { minReplicas: 10 }, current: 10, observed: null, memory: { lastGood: 10 } },
    desired: 14,
    holding: true,
  },
];

describe('planReplicas rules', () => {
  test.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const { decision } = plan(row.args);
    expect(decision.desiredReplicas).toBe(row.desired);
    if (row.rule) expect(decision.reasons.map((r) => r.rule)).toContain(row.rule);
    for (const p of row.protections ?? []) expect(decision.protections).toContain(p);
    if (row.deployFreeze !== undefined) expect(decision.deployFreeze).toBe(row.deployFreeze);
    expect(decision.holding).toBe(row.holding ?? false);
  });
});

describe('planReplicas memory and reasons', () => {
  test('the measured start-up moves the predictive window', () => {
    const base = plan({ current: 10, observed: 350, forecast: [[60_000, 1400]] }).decision.desiredReplicas;
    const measured = planReplicas(
      {
        target: target(),
        currentReplicas: 10,
        observed: 350,
        forecast: [{ tMs: JAN_WED + 60_000, value: 1400, lower: 0, upper: 0 }],
        calendar: targetCalendar(indexCalendar({ weddings: [] }, weddingRulesSchema.parse({})), target(), JAN_WED),
        overrides: [],
        memory: EMPTY_MEMORY,
        measuredStartupSeconds: 60,
      },
      policySchema.parse({}),
      JAN_WED,
    ).decision.desiredReplicas;
    expect(base).toBe(10);
    expect(measured).toBe(20); // 40 wanted, capped by the +100 % step
  });

  test('memory is returned, not mutated, and keeps the window of recommendations', () => {
    const memory: PlanMemory = { ...EMPTY_MEMORY, recommendations: [{ tMs: JAN_WED - 400_000, replicas: 3 }] };
    const frozen = JSON.stringify(memory);
    const r = plan({ current: 10, observed: 350, memory });
    expect(JSON.stringify(memory)).toBe(frozen);
    expect(r.memory.recommendations).toEqual([{ tMs: JAN_WED, replicas: 10 }]);
    expect(r.memory.lastGood).toBe(10);
    expect(r.memory.recentLoad).toEqual([{ tMs: JAN_WED, value: 350 }]);
  });

  test('every decision says which rules shaped it', () => {
    const { decision } = plan({ current: 5, observed: 350, forecast: [[200_000, 100]] });
    expect(decision.reasons.map((r) => r.rule)).toEqual(['reactive', 'predictive']);
    expect(decision.reasons[0].detail).toMatch(/observed 350/);
  });

  describe('elapsed time is monotonic: a wall-clock step changes no limit', () => {
    const HOUR = 3_600_000;
    const MONO = 5_000_000; // the monotonic timescale has its own origin
    test('a wall clock stepped forward 1 h: one tick (60 s monotonic) of step-down, not 64 periods', () => {
      const r = plan({
        now: JAN_WED + HOUR,
        monoMs: MONO,
        current: 40,
        observed: 10,
        policy: { scaleDownStabilizationSeconds: 0 },
        memory: { lastTickMs: MONO - MIN },
      });
      expect(r.decision.desiredReplicas).toBe(27); // 40 → 36 → 33 → 30 → 27: four 15 s periods of −10 %
      expect(r.decision.reasons.at(-1)).toMatchObject({ rule: 'max-step-down' });
      expect(r.memory.lastTickMs).toBe(MONO);
    });
    test('a wall clock stepped back 1 h: the stabilisation window still forgets on time', () => {
      const memory = {
        recommendations: [
          { tMs: MONO - 301_000, replicas: 40 },
          { tMs: MONO - 60_000, replicas: 30 },
        ],
        lastTickMs: MONO - MIN,
      };
      const r = plan({ now: JAN_WED - HOUR, monoMs: MONO, current: 40, observed: 10, policy: { maxScaleDownRatio: 1 }, memory });
      expect(r.decision.desiredReplicas).toBe(30); // the 40 left the 300 s window; the 30 of a minute ago holds
      expect(r.memory.recommendations.map((x) => x.tMs)).toEqual([MONO - 60_000, MONO]);
    });
    test('post-wedding ramp-down measured on the monotonic clock', () => {
      const r = plan({
        now: JAN_WED + HOUR,
        monoMs: MONO,
        current: 40,
        observed: 10,
        policy: { maxScaleDownRatio: 1, scaleDownStabilizationSeconds: 0 },
        memory: { lastProtectedMs: MONO - 2 * MIN, protectedReplicas: 40, lastTickMs: MONO - MIN },
      });
      expect(r.decision.reasons.at(-1)).toMatchObject({ rule: 'post-wedding-rampdown' });
      expect(r.decision.desiredReplicas).toBe(Math.ceil(40 * Math.pow(0.95, 2) - 1e-9));
    });
  });
});
