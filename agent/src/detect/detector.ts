/** Streaming anomaly detection: one detector instance per series, fed points in time order. */

export type AnomalyKind = 'none' | 'spike' | 'dip' | 'level_shift' | 'missing_expected_load';

/** What the calendar says about this instant; lets detectors excuse announced load and flag missing load. */
export interface DetectionContext {
  /** Expected wedding load at this instant (0 when no wedding is live). */
  expectedWeddingLoad: number;
}

export interface AnomalyResult {
  /** 0 = ordinary, 1 = certainly anomalous. Uses only points before this one (and this one). */
  score: number;
  kind: AnomalyKind;
}

export interface AnomalyDetector {
  update(tMs: number, value: number, ctx?: DetectionContext): AnomalyResult;
}

export type DetectorFactory = () => AnomalyDetector;
