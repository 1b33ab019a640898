import { readyReplicas, scoreSchedule } from './score';

const P = { capacityPerPod: 10, podStartupSeconds: 180, stepSeconds: 60 }; // start-up = 3 steps

describe('readyReplicas (pods asked at t serve from t + start-up; removals at once)', () => {
  test.each([
    ['an increase is ready three steps later', [2, 5, 5, 5, 5], [2, 2, 2, 2, 5]],
    ['a decrease acts at once', [5, 5, 2, 2], [5, 5, 2, 2]],
    ['a dip restarts the new pods', [2, 5, 3, 5, 5, 5, 5], [2, 2, 2, 2, 3, 3, 5]],
    ['the first value is taken as already running', [4, 4], [4, 4]],
  ])('%s', (_n, asked, ready) => {
    expect([...readyReplicas(asked, 3)]).toEqual(ready);
  });
});

describe('scoreSchedule', () => {
  test('counts overload minutes, unserved requests and replica-hours asked for', () => {
    // Ready: 2,2,2,2,5 → capacity 20,20,20,20,50. Demand above: 10 at t=1..3 → 3 overload minutes.
    const s = scoreSchedule([2, 5, 5, 5, 5], [15, 30, 30, 30, 40], P);
    expect(s).toEqual({ overloadMinutes: 3, unservedRequests: 3 * 10 * 60, replicaHours: Math.round((22 / 60) * 10) / 10, peakReplicas: 5 });
  });

  test('refuses a schedule of the wrong length', () => {
    expect(() => scoreSchedule([1, 2], [1], P)).toThrow(/2 replica values for 1 demand values/);
  });
});
