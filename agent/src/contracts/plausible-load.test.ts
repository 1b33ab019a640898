import { plausibleHistory, plausibleLoadLimit, plausibleReading } from './plausible-load';
import { checkFinite } from '../forecast/finite-forecast';
import type { TargetConfig } from '../config/schema';

const target = { id: 'api', maxReplicas: 50, capacityPerPod: 10 } as TargetConfig;

describe('plausible load (issue 24, defect 8)', () => {
  it('bounds a target at maxReplicas × capacityPerPod × 100', () => {
    expect(plausibleLoadLimit(target)).toBe(50_000);
  });
  it.each([1e308, Infinity, NaN, -1, 50_001])('turns a reading of %p into a failed read that says why', (value) => {
    const r = plausibleReading({ ok: true, value, atMs: 5 }, target);
    expect(r).toEqual({
      ok: false,
      atMs: 5,
      error: expect.stringMatching(/is not plausible for target api \(above maxReplicas × capacityPerPod × 100 = 50000/),
    });
  });
  it('keeps plausible readings and failed reads as they are', () => {
    expect(plausibleReading({ ok: true, value: 100, atMs: 5 }, target)).toEqual({ ok: true, value: 100, atMs: 5 });
    expect(plausibleReading({ ok: false, error: 'down', atMs: 5 }, target)).toEqual({ ok: false, error: 'down', atMs: 5 });
  });
  it('drops implausible points from backfilled history', () => {
    expect(
      plausibleHistory(
        [
          { tMs: 1, value: 10 },
          { tMs: 2, value: 1e308 },
          { tMs: 3, value: 12 },
        ],
        target,
      ),
    ).toEqual({
      points: [
        { tMs: 1, value: 10 },
        { tMs: 3, value: 12 },
      ],
      dropped: 1,
    });
  });
});

describe('the forecaster boundary: never Infinity or NaN', () => {
  const f = (value: number) => ({
    method: 'm',
    coldStart: false,
    points: [
      { tMs: 0, value: 1, lower: 0, upper: 2 },
      { tMs: 60_000, value, lower: 0, upper: value },
    ],
  });
  it.each([Infinity, NaN, -Infinity])('refuses a forecast with a %p point', (v) => {
    expect(checkFinite(f(v))).toEqual({ error: expect.stringMatching(/not a finite number at 1970-01-01T00:01:00.000Z/) });
  });
  it('passes a finite forecast through', () => {
    expect(checkFinite(f(3))).toEqual({ forecast: f(3) });
  });
});
