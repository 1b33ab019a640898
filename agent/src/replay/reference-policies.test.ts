import { hpaV2, oracle, replicasNeeded, staticPeak, withProtectionHold, type ServiceShape } from './reference-policies';
import { scoreSchedule } from './score';

const S: ServiceShape = { capacityPerPod: 10, podStartupSeconds: 180, stepSeconds: 60, targetUtilization: 0.5, minReplicas: 1, maxReplicas: 100 }; // 5 rps per pod at target

describe('reference policies', () => {
  test('replicasNeeded is ceil(demand / (capacity × utilisation)) within bounds', () => {
    expect([replicasNeeded(S, 0), replicasNeeded(S, 5), replicasNeeded(S, 5.01), replicasNeeded(S, 10_000)]).toEqual([1, 1, 2, 100]);
  });

  test('static peak provisions for the highest demand throughout', () => {
    expect([...staticPeak([5, 50, 10], S)]).toEqual([10, 10, 10]);
  });

  test('the oracle asks one start-up ahead and is never overloaded', () => {
    const demand = [5, 5, 5, 5, 50, 50, 5, 5, 5, 5, 5];
    const r = oracle(demand, S);
    expect([...r]).toEqual([1, 10, 10, 10, 10, 10, 1, 1, 1, 1, 1]);
    expect(scoreSchedule(r, demand, S).overloadMinutes).toBe(0);
  });

  test('HPA: metrics one step late, then ceil(demand / target per pod)', () => {
    const r = hpaV2([5, 50, 50, 50], S);
    expect([...r]).toEqual([1, 1, 10, 10]);
  });

  test('HPA: inside the 10 % tolerance nothing changes', () => {
    const r = hpaV2([50, 54, 46, 54], S);
    expect([...r]).toEqual([10, 10, 10, 10]);
  });

  test('HPA: a scale-down waits for the highest recommendation of the 300 s window', () => {
    const demand = [50, 50, 5, 5, 5, 5, 5, 5, 5, 5];
    const r = hpaV2(demand, S);
    // Recommendations 10, 10 (t=1), then 1 from t=3: the window (5 steps) still holds a 10 until t=7.
    expect([...r]).toEqual([10, 10, 10, 10, 10, 10, 10, 1, 1, 1]);
  });

  test('HPA: scale-up is limited to max(+100 %, +4 pods) per 15 s period', () => {
    const big: ServiceShape = { ...S, maxReplicas: 10_000 };
    const r = hpaV2([5, 5000, 5000], big);
    expect(r[2]).toBe(40); // max(2×, +4) four times a minute: 1 → 5 → 10 → 20 → 40
  });

  test('the protection hold never scales down inside a protected window', () => {
    expect([...withProtectionHold([5, 9, 3, 2, 7, 1], [0, 1, 1, 0, 1, 1])]).toEqual([5, 9, 9, 2, 7, 7]);
  });
});
