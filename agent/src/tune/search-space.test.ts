import { asTargetPatch, candidates, SEARCH_SPACE, selectSpace, UnknownSettingError } from './search-space';

describe('the search space', () => {
  test('the defaults first, then distinct candidates from the documented values; the same seed, the same draw', () => {
    const a = candidates(SEARCH_SPACE, 20, 7);
    expect(a[0]).toEqual({});
    expect(a).toHaveLength(20);
    expect(new Set(a.map((c) => JSON.stringify(c))).size).toBe(20);
    for (const c of a.slice(1)) for (const s of SEARCH_SPACE) expect(s.values).toContain(c[s.name]);
    expect(candidates(SEARCH_SPACE, 20, 7)).toEqual(a);
    expect(candidates(SEARCH_SPACE, 20, 8)).not.toEqual(a);
  });

  test('a small space yields at most its combinations (plus the defaults)', () => {
    expect(candidates(selectSpace(['maxScaleUpPods']), 50, 1)).toHaveLength(4);
  });

  test('unknown settings are refused, naming the known ones', () => {
    expect(() => selectSpace(['burstQuantile', 'targetUtilisation'])).toThrow(UnknownSettingError);
    expect(() => selectSpace(['targetUtilisation'])).toThrow(/unknown setting "targetUtilisation" \(tune searches targetUtilization, burstQuantile/);
  });

  test('a candidate becomes the target utilisation and policy overrides', () => {
    expect(asTargetPatch({ targetUtilization: 0.6, burstQuantile: 0.9 })).toEqual({ targetUtilization: 0.6, policy: { burstQuantile: 0.9 } });
    expect(asTargetPatch({})).toEqual({});
  });
});
