import type { Score } from '../replay/score';
import { choose, ObjectiveError, parseObjective } from './objective';

const s = (overloadMinutes: number, unservedRequests: number, replicaHours: number): Score => ({
  overloadMinutes,
  unservedRequests,
  replicaHours,
  peakReplicas: 0,
});
// Candidate 0 is the defaults.
const scores = [s(20, 2000, 100), s(25, 2500, 80), s(18, 1900, 95), s(5, 400, 130), s(19, 2000, 90)];
const refs = { defaults: scores[0], hpa: s(200, 30000, 85), oracle: s(0, 0, 80) };

describe('objectives', () => {
  test('default: the cheapest no worse than the defaults on overload and unserved', () => {
    expect(choose(parseObjective(undefined, undefined), scores, refs)).toMatchObject({ index: 4, met: true });
  });

  test('default, when nothing beats the defaults: they are kept, and the detail says so', () => {
    const worse = [s(20, 2000, 100), s(25, 2500, 80), s(18, 1900, 120), s(21, 1500, 90)];
    expect(choose(parseObjective(undefined, undefined), worse, { ...refs, defaults: worse[0] })).toEqual({
      index: 0,
      met: true,
      detail: expect.stringMatching(/^the defaults are kept: no candidate was cheaper/),
    });
  });

  test('default, with stressed scores: a cheaper candidate that is worse with more demand is not trusted', () => {
    const tie = [s(20, 2000, 100), s(20, 2000, 90), s(19, 2000, 95)];
    const stressed = [s(40, 5000, 100), s(55, 7000, 90), s(40, 4800, 95)];
    expect(choose(parseObjective(undefined, undefined), tie, { ...refs, defaults: tie[0] })).toMatchObject({ index: 1 });
    expect(choose(parseObjective(undefined, undefined), tie, { ...refs, defaults: tie[0] }, stressed)).toMatchObject({
      index: 2,
      detail: expect.stringContaining('also with 1.2× the demand'),
    });
    expect(choose(parseObjective(undefined, undefined), tie.slice(0, 2), { ...refs, defaults: tie[0] }, stressed.slice(0, 2))).toMatchObject({
      index: 0,
      detail: expect.stringMatching(/^the defaults are kept/),
    });
  });

  test('--goal: the cheapest meeting every condition', () => {
    expect(choose(parseObjective('overload<=0.1*hpa', undefined), scores, refs)).toMatchObject({ index: 4, met: true });
    expect(choose(parseObjective('overload<=10, unserved<=0.5*defaults', undefined), scores, refs)).toMatchObject({ index: 3, met: true });
  });

  test('--goal nobody meets: unmet, with the nearest candidate and its figures', () => {
    const c = choose(parseObjective('overload<=1,cost<=0.9*oracle', undefined), scores, refs);
    expect(c.met).toBe(false);
    expect(c.detail).toMatch(/no candidate meets overload<=1,cost<=0\.9\*oracle; nearest: overload \d+ \(limit 1\), cost \d+ \(limit 72\)/);
  });

  test('--budget: the least overload within the cost; unmet when nothing fits', () => {
    expect(choose(parseObjective(undefined, '1.2x-oracle'), scores, refs)).toMatchObject({ index: 2, met: true });
    expect(choose(parseObjective(undefined, '0.5x-oracle'), scores, refs)).toMatchObject({ index: 1, met: false });
  });

  test.each([
    ['latency<=3', undefined, /--goal "latency<=3": expected METRIC<=NUMBER/],
    ['overload<=0.1*cluster', undefined, /--goal "overload<=0.1\*cluster"/],
    [undefined, 'cheap', /--budget "cheap": expected FACTORx-REFERENCE/],
    ['overload<=1', '1x-hpa', /--goal or --budget, not both/],
  ])('refuses goal %s / budget %s', (goal, budget, message) => {
    expect(() => parseObjective(goal, budget)).toThrow(ObjectiveError);
    expect(() => parseObjective(goal, budget)).toThrow(message);
  });
});
