import { createDetector } from './combined-detector';
import type { AnomalyResult } from './detector';

const STEP = 5 * 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2027, 4, 3); // a Monday

/** Deterministic noise (no Math.random in tests). */
function noise(i: number): number {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return (x - Math.floor(x) - 0.5) * 6;
}

/** An ordinary day-shaped load around 100 with small noise. */
function base(i: number): number {
  const t = T0 + i * STEP;
  return 100 + 30 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + noise(i);
}

/** Runs 3 weeks of ordinary load, then `extra` points from `make`; returns the results of the extra points. */
function run(make: (i: number) => { value: number; expected?: number }, extraPoints: number): AnomalyResult[] {
  const d = createDetector();
  const warm = (21 * DAY) / STEP;
  for (let i = 0; i < warm; i++) d.update(T0 + i * STEP, base(i), { expectedWeddingLoad: 0 });
  const out: AnomalyResult[] = [];
  for (let i = warm; i < warm + extraPoints; i++) {
    const { value, expected = 0 } = make(i);
    out.push(d.update(T0 + i * STEP, value, { expectedWeddingLoad: expected }));
  }
  return out;
}

const max = (rs: AnomalyResult[]): AnomalyResult => rs.reduce((a, b) => (b.score > a.score ? b : a));

describe('CombinedDetector', () => {
  it('scores ordinary load low, always within [0, 1]', () => {
    const rs = run((i) => ({ value: base(i) }), 2 * 288);
    expect(rs.every((r) => r.score >= 0 && r.score <= 1)).toBe(true);
    expect(max(rs).score).toBeLessThan(0.7);
  });

  it('flags an unannounced spike as a spike', () => {
    const rs = run((i) => ({ value: base(i) + (i % 288 === 100 ? 250 : 0) }), 288);
    expect(max(rs).score).toBeGreaterThanOrEqual(0.7);
    expect(max(rs).kind).toBe('spike');
  });

  it('does not flag a surge the calendar explains (40 receptions on a Saturday)', () => {
    const surge = (i: number): number => (i % 288 >= 120 && i % 288 < 190 ? 150 : 0);
    const explained = run((i) => ({ value: base(i) + surge(i), expected: surge(i) }), 288);
    expect(max(explained).score).toBeLessThan(0.7);
    // The same surge without the calendar is an anomaly: the context is what made the difference.
    const unexplained = run((i) => ({ value: base(i) + surge(i), expected: 0 }), 288);
    expect(max(unexplained).score).toBeGreaterThanOrEqual(0.7);
  });

  it('flags promised load that does not arrive as missing_expected_load', () => {
    const promised = (i: number): number => (i % 288 >= 120 && i % 288 < 190 ? 150 : 0);
    const rs = run((i) => ({ value: base(i), expected: promised(i) }), 288);
    const during = rs.slice(120 - 0, 190).filter((r) => r.kind === 'missing_expected_load');
    expect(during.length).toBeGreaterThan(30);
    expect(max(during).score).toBeGreaterThanOrEqual(0.7);
  });

  it('ignores expected load too small to tell from noise', () => {
    const rs = run((i) => ({ value: base(i), expected: i % 288 >= 120 && i % 288 < 190 ? 2 : 0 }), 288);
    expect(rs.some((r) => r.kind === 'missing_expected_load')).toBe(false);
  });

  it('uses only the past: a point scores the same whatever comes after it', () => {
    const a = run((i) => ({ value: base(i) + (i % 288 === 100 ? 250 : 0) }), 101);
    const b = run((i) => ({ value: base(i) + (i % 288 === 100 ? 250 : 0) + (i % 288 > 100 ? 999 : 0) }), 288);
    expect(b.slice(0, 101)).toEqual(a);
  });
});
