/**
 * Turns the panel's query results (Grafana data frames from Prometheus) into per-target series by role.
 * Unknown frames are ignored rather than guessed at; `missingRoles` tells the panel what to ask for.
 */
import { FieldType, type DataFrame } from '@grafana/data';
import { METRIC_ROLE, SERIES_ROLES, type SeriesRole } from './metricNames';

export interface Point {
  t: number;
  v: number;
}

export type TargetSeries = Record<SeriesRole, Point[]>;

export interface ExtractedSeries {
  byTarget: Map<string, TargetSeries>;
  /** Roles with no data for any target, e.g. ["forecast", "lower"]. */
  missingRoles: SeriesRole[];
  /** Frames that matched no role (their names, for the empty state). */
  unrecognised: string[];
}

const UNLABELLED = '';

export function emptySeries(): TargetSeries {
  return { observed: [], forecast: [], lower: [], upper: [], current: [], desired: [], anomaly: [] };
}

export function roleOf(frame: DataFrame, labels: Record<string, string> | undefined, displayName: string | undefined): SeriesRole | undefined {
  const byName = labels?.__name__ ? METRIC_ROLE[labels.__name__] : undefined;
  if (byName) {
    return byName;
  }
  for (const candidate of [frame.name, displayName]) {
    if (!candidate) {
      continue;
    }
    // Longest names first: forecast_lower_load must not be read as forecast_load.
    const metric = Object.keys(METRIC_ROLE)
      .sort((a, b) => b.length - a.length)
      .find((m) => candidate.includes(m));
    if (metric) {
      return METRIC_ROLE[metric];
    }
  }
  const ref = frame.refId?.toLowerCase();
  return SERIES_ROLES.find((r) => r === ref);
}

export function extractSeries(frames: DataFrame[]): ExtractedSeries {
  const byTarget = new Map<string, TargetSeries>();
  const unrecognised: string[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time) {
      continue;
    }
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      const role = roleOf(frame, field.labels, field.config?.displayNameFromDS);
      if (!role) {
        unrecognised.push(frame.name ?? frame.refId ?? field.name);
        continue;
      }
      const target = field.labels?.target ?? UNLABELLED;
      const series = byTarget.get(target) ?? emptySeries();
      byTarget.set(target, series);
      for (let i = 0; i < frame.length; i++) {
        const t = Number(time.values[i]);
        const v = field.values[i];
        if (typeof v === 'number' && Number.isFinite(v) && Number.isFinite(t)) {
          series[role].push({ t, v });
        }
      }
      series[role].sort((a, b) => a.t - b.t);
    }
  }
  // Frames without a target label belong to the only labelled target, if there is exactly one.
  const unlabelled = byTarget.get(UNLABELLED);
  if (unlabelled) {
    const labelled = [...byTarget.keys()].filter((k) => k !== UNLABELLED);
    if (labelled.length === 1) {
      const into = byTarget.get(labelled[0])!;
      for (const role of SERIES_ROLES) {
        if (into[role].length === 0) {
          into[role] = unlabelled[role];
        }
      }
      byTarget.delete(UNLABELLED);
    }
  }
  const missingRoles = SERIES_ROLES.filter((r) => ![...byTarget.values()].some((s) => s[r].length > 0));
  return { byTarget, missingRoles, unrecognised };
}

export function last(points: Point[]): number | null {
  return points.length ? points[points.length - 1].v : null;
}
