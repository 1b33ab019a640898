/**
 * The Numenta Anomaly Benchmark scoring method, ported line for line from NAB v1.1 `nab/sweeper.py`
 * (numenta/NAB ea702d7) and `runner.normalize`: anomaly windows, the scaled sigmoid, probation,
 * one threshold per profile swept over the whole corpus, normalised so null = 0 and perfect = 100.
 */

export interface NabProfile {
  name: string;
  tpWeight: number;
  fpWeight: number;
  fnWeight: number;
}

/** NAB's config/profiles.json (tnWeight is unused by the scorer). */
export const NAB_PROFILES: readonly NabProfile[] = [
  { name: 'standard', tpWeight: 1.0, fpWeight: 0.11, fnWeight: 1.0 },
  { name: 'reward_low_FP_rate', tpWeight: 1.0, fpWeight: 0.22, fnWeight: 1.0 },
  { name: 'reward_low_FN_rate', tpWeight: 1.0, fpWeight: 0.11, fnWeight: 2.0 },
];

/** One row's contribution: its detector score, its sweep score, and its window (null outside, 'probationary' early). */
export interface AnomalyPoint {
  anomalyScore: number;
  sweepScore: number;
  windowName: string | null;
}

export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  fp: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** +0.987 at a window's left edge, 0 at its right edge, down to −1 well after it. */
export function scaledSigmoid(relativePositionInWindow: number): number {
  if (relativePositionInWindow > 3.0) return -1.0;
  return 2 * sigmoid(-5 * relativePositionInWindow) - 1.0;
}

/** min(floor(15 % of rows), 750): the first rows, where detectors are still learning, are not scored. */
export function probationaryLength(numRows: number, probationPercent = 0.15): number {
  return Math.min(Math.floor(probationPercent * numRows), probationPercent * 5000);
}

/** `Sweeper.calcSweepScore`: windows are [startMs, endMs] pairs equal to row timestamps. */
export function calcSweepScore(
  timestamps: readonly number[],
  anomalyScores: ArrayLike<number>,
  windowLimits: ReadonlyArray<readonly [number, number]>,
  dataSetName: string,
  profile: NabProfile,
): AnomalyPoint[] {
  if (timestamps.length !== anomalyScores.length) throw new Error(`${dataSetName}: ${timestamps.length} timestamps but ${anomalyScores.length} scores`);
  const windows = windowLimits.slice();
  const indexOf = new Map<number, number>();
  // Python's list.index: the first row with that timestamp.
  timestamps.forEach((t, i) => {
    if (!indexOf.has(t)) indexOf.set(t, i);
  });
  const maxTP = scaledSigmoid(-1.0);
  const probation = probationaryLength(timestamps.length);
  const out: AnomalyPoint[] = [];
  let cur: readonly [number, number] | null = null;
  let curName: string | null = null;
  let curWidth = 0;
  let curRight = -1;
  let prevWidth: number | null = null;
  let prevRight: number | null = null;

  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (windows.length && t === windows[0][0]) {
      cur = windows.shift()!;
      curName = `${dataSetName}|${cur[0]}`;
      const right = indexOf.get(cur[1]);
      if (right === undefined) throw new Error(`${dataSetName}: window end ${new Date(cur[1]).toISOString()} is not a row`);
      curRight = right;
      curWidth = curRight - indexOf.get(cur[0])! + 1;
    }
    let weighted: number;
    if (cur !== null) {
      const positionInWindow = -(curRight - i + 1) / curWidth;
      weighted = (scaledSigmoid(positionInWindow) * profile.tpWeight) / maxTP;
    } else {
      const unweighted = prevRight === null ? -1.0 : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth! - 1));
      weighted = unweighted * profile.fpWeight;
    }
    out.push({ anomalyScore: anomalyScores[i], sweepScore: weighted, windowName: i >= probation ? curName : 'probationary' });
    if (cur !== null && t === cur[1]) {
      prevRight = i;
      prevWidth = curWidth;
      cur = null;
      curName = null;
    }
  }
  return out;
}

/** `Sweeper.calcScoreByThreshold`: the corpus score at every distinct threshold, highest threshold first. */
export function calcScoreByThreshold(points: readonly AnomalyPoint[], profile: NabProfile): ThresholdScore[] {
  const scorable = points.filter((p) => p.windowName !== 'probationary').sort((a, b) => b.anomalyScore - a.anomalyScore);
  const windowScore = new Map<string, number>();
  for (const p of scorable) if (p.windowName !== null) windowScore.set(p.windowName, -profile.fnWeight);
  // Kept as running sums so each threshold costs O(1): fp part, plus the windows' best scores.
  let fpPart = 0;
  let windowPart = -profile.fnWeight * windowScore.size;
  let tp = 0;
  let fp = 0;
  let curThreshold = 1.1;
  const out: ThresholdScore[] = [];
  for (const p of scorable) {
    if (p.anomalyScore !== curThreshold) {
      out.push({ threshold: curThreshold, score: fpPart + windowPart, tp, fp });
      curThreshold = p.anomalyScore;
    }
    if (p.windowName === null) {
      fp++;
      fpPart += p.sweepScore;
    } else {
      tp++;
      const before = windowScore.get(p.windowName)!;
      if (p.sweepScore > before) {
        windowScore.set(p.windowName, p.sweepScore);
        windowPart += p.sweepScore - before;
      }
    }
  }
  out.push({ threshold: curThreshold, score: fpPart + windowPart, tp, fp });
  return out;
}

export interface NabFile {
  name: string;
  timestamps: number[];
  windows: Array<[number, number]>;
}

export interface ProfileResult {
  profile: string;
  threshold: number;
  raw: number;
  nullRaw: number;
  normalized: number;
}

/** Optimises one threshold per profile over all files, then normalises against the null detector. */
export function scoreCorpus(files: readonly NabFile[], scores: ReadonlyArray<ArrayLike<number>>): ProfileResult[] {
  const totalWindows = files.reduce((n, f) => n + f.windows.length, 0);
  return NAB_PROFILES.map((profile) => {
    const best = bestThreshold(files, scores, profile);
    const nullBest = bestThreshold(
      files,
      files.map((f) => new Float64Array(f.timestamps.length)),
      profile,
    );
    const perfect = totalWindows * profile.tpWeight;
    return {
      profile: profile.name,
      threshold: best.threshold,
      raw: best.score,
      nullRaw: nullBest.score,
      normalized: (100 * (best.score - nullBest.score)) / (perfect - nullBest.score),
    };
  });
}

function bestThreshold(files: readonly NabFile[], scores: ReadonlyArray<ArrayLike<number>>, profile: NabProfile): ThresholdScore {
  const all: AnomalyPoint[] = [];
  files.forEach((f, i) => {
    for (const p of calcSweepScore(f.timestamps, scores[i], f.windows, f.name, profile)) all.push(p);
  });
  // NAB keeps the first (highest) threshold among equal scores.
  let best: ThresholdScore | null = null;
  for (const s of calcScoreByThreshold(all, profile)) if (!best || s.score > best.score) best = s;
  return best!;
}
