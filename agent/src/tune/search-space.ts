/**
 * What `tune` searches: a small, documented set of values per setting, around the defaults. A candidate
 * is one value per searched setting (the others stay as configured); the defaults are always candidate 0.
 * Candidates are drawn without repetition by a seeded generator, so a seed gives the same search.
 */
export interface Setting {
  /** `targetUtilization` is the target's own field; the others are `policy` settings. */
  name: string;
  values: readonly number[];
  why: string;
}

export const SEARCH_SPACE: readonly Setting[] = [
  { name: 'targetUtilization', values: [0.55, 0.6, 0.65, 0.7, 0.75, 0.8], why: 'how full each pod runs: the main cost/overload trade' },
  { name: 'burstQuantile', values: [0, 0.9, 0.95, 0.98, 0.99], why: 'burst headroom: the quantile of recent rises kept as room (0 = off)' },
  { name: 'burstMemorySeconds', values: [21_600, 43_200, 86_400, 172_800], why: 'how long a burst counts in that headroom' },
  { name: 'scaleDownStabilizationSeconds', values: [60, 180, 300, 600], why: 'how long a scale-down waits for the highest recent need' },
  { name: 'maxScaleUpPods', values: [2, 4, 8], why: 'step limit up (pods per period)' },
  { name: 'maxScaleDownRatio', values: [0.05, 0.1, 0.2], why: 'step limit down (share per period)' },
  { name: 'surgeSlopeWindowSeconds', values: [60, 120, 300], why: 'surge window: the span a rise is measured over' },
  { name: 'predictiveWindowSeconds', values: [0, 60, 300, 600], why: 'predictive window after the start-up' },
];

export type Settings = Record<string, number>;

export class UnknownSettingError extends Error {}

/** The settings named by `--settings a,b` (all by default); an unknown name is refused with the known ones. */
export function selectSpace(names: string[] | undefined): Setting[] {
  if (!names?.length) return [...SEARCH_SPACE];
  const unknown = names.filter((n) => !SEARCH_SPACE.some((s) => s.name === n));
  if (unknown.length)
    throw new UnknownSettingError(
      `--settings: unknown setting ${unknown.map((u) => `"${u}"`).join(', ')} (tune searches ${SEARCH_SPACE.map((s) => s.name).join(', ')})`,
    );
  return SEARCH_SPACE.filter((s) => names.includes(s.name));
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Up to `count` candidates: {} (the defaults) first, then distinct random combinations. */
export function candidates(space: readonly Setting[], count: number, seed: number): Settings[] {
  const rnd = seeded(seed);
  const out: Settings[] = [{}];
  const seen = new Set<string>(['{}']);
  const combinations = space.reduce((n, s) => n * s.values.length, 1);
  for (let tries = 0; out.length < Math.min(count, combinations + 1) && tries < count * 50; tries++) {
    const c: Settings = {};
    for (const s of space) c[s.name] = s.values[Math.floor(rnd() * s.values.length)];
    const key = JSON.stringify(c);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

/** A candidate as a target's overrides: its `targetUtilization` and its `policy` settings. */
export function asTargetPatch(c: Settings): { targetUtilization?: number; policy?: Record<string, number> } {
  const { targetUtilization, ...policy } = c;
  return { ...(targetUtilization === undefined ? {} : { targetUtilization }), ...(Object.keys(policy).length ? { policy } : {}) };
}
