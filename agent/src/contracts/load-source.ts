/** Where load readings come from. Failures are values: a source never throws into the loop. */
import type { TargetConfig } from '../config/schema';

export type LoadReading = { ok: true; value: number; atMs: number } | { ok: false; error: string; atMs: number };

export interface HistoryPoint {
  tMs: number;
  value: number;
}

export interface LoadSource {
  readonly type: string;
  /** How long a reading from this source may be trusted; unset, the engine's default (4 ticks, at least 60 s). */
  readonly staleAfterSeconds?: number;
  /** The target's current load. */
  read(target: TargetConfig, nowMs: number): Promise<LoadReading>;
  /** Past load for cold start (e.g. Prometheus query_range); sources without history return []. */
  history?(target: TargetConfig, fromMs: number, toMs: number, stepMs: number): Promise<HistoryPoint[] | { error: string }>;
  close?(): Promise<void>;
}
