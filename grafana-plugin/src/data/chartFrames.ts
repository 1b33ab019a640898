/**
 * One target's chart as Grafana data frames, ready for @grafana/ui's TimeSeries (uPlot): observed load
 * (Prometheus history, then the stream's live points), the forecast with its band (history, then the
 * agent's forecast ahead), anomalies as points, and replicas now / wanted on a right-hand axis. Each
 * field carries its unit (the agent's load unit, or replicas), colour and style, as a core panel's would.
 */
import { FieldColorModeId, FieldType, toDataFrame, type DataFrame, type FieldConfig } from '@grafana/data';
import type { DecisionDto, ForecastDto } from '../types';
import type { Point, TargetSeries } from './frames';

export const SERIES_NAMES = {
  observed: 'Observed load',
  forecast: 'Forecast',
  lower: 'Forecast lower',
  upper: 'Forecast upper',
  anomaly: 'Anomaly',
  current: 'Replicas now',
  desired: 'Replicas wanted',
  decision: 'Scale decision',
} as const;

export interface ChartInput {
  series: TargetSeries;
  forecast: ForecastDto | null;
  /** Observed load the tick stream brought after the Prometheus history. */
  live: Point[];
  anomalyThreshold: number;
  /** Grafana unit id for load, e.g. "reqps" (from the agent's config). */
  loadUnit: string;
  /** Scale decisions seen (data/decisionLog.ts): a point each at the replicas wanted, its reason in the tooltip. */
  decisions?: readonly DecisionDto[];
}

/** History first, then the later points of `more` (never two points for one instant). */
export function appendAfter(history: Point[], more: Point[]): Point[] {
  const lastT = history.length ? history[history.length - 1].t : -Infinity;
  return [...history, ...more.filter((p) => p.t > lastT)];
}

type Custom = Record<string, unknown>;

function frame(name: string, points: Point[], config: FieldConfig & { custom?: Custom }): DataFrame {
  return toDataFrame({
    name,
    fields: [
      { name: 'Time', type: FieldType.time, values: points.map((p) => p.t) },
      { name, type: FieldType.number, values: points.map((p) => p.v), config: { displayName: name, ...config } },
    ],
  });
}

const fixed = (color: string) => ({ mode: FieldColorModeId.Fixed, fixedColor: color });
const line = (extra: Custom = {}): Custom => ({
  drawStyle: 'line',
  lineWidth: 2,
  fillOpacity: 0,
  showPoints: 'never',
  spanNulls: true,
  axisPlacement: 'auto',
  ...extra,
});

export function chartFrames(input: ChartInput): DataFrame[] {
  const { series, forecast, live, anomalyThreshold, loadUnit } = input;
  const ahead = (forecast?.points ?? [])
    .map((p) => ({ t: Date.parse(p.t), value: p.value, lower: p.lower, upper: p.upper }))
    .filter((p) => Number.isFinite(p.t));
  const observed = appendAfter(series.observed, live);
  const forecastLine = appendAfter(
    series.forecast,
    ahead.map((p) => ({ t: p.t, v: p.value })),
  );
  const lower = appendAfter(
    series.lower,
    ahead.map((p) => ({ t: p.t, v: p.lower })),
  );
  const upper = appendAfter(
    series.upper,
    ahead.map((p) => ({ t: p.t, v: p.upper })),
  );
  const anomalies = series.anomaly
    .filter((a) => a.v >= anomalyThreshold)
    .map((a) => ({ t: a.t, v: nearest(observed, a.t) }))
    .filter((p): p is Point => p.v !== null);
  const load = { unit: loadUnit, min: 0 };
  const frames: DataFrame[] = [];
  if (upper.length && lower.length) {
    frames.push(
      frame(SERIES_NAMES.upper, upper, {
        ...load,
        color: fixed('rgba(87, 148, 242, 0.5)'),
        custom: line({ lineWidth: 0, fillBelowTo: SERIES_NAMES.lower, fillOpacity: 18 }),
      }),
    );
    frames.push(frame(SERIES_NAMES.lower, lower, { ...load, color: fixed('rgba(87, 148, 242, 0.5)'), custom: line({ lineWidth: 0 }) }));
  }
  if (forecastLine.length) {
    frames.push(
      frame(SERIES_NAMES.forecast, forecastLine, {
        ...load,
        color: fixed('blue'),
        custom: line({ lineWidth: 1.5, lineStyle: { fill: 'dash', dash: [8, 4] } }),
      }),
    );
  }
  if (observed.length) {
    frames.push(frame(SERIES_NAMES.observed, observed, { ...load, color: fixed('green'), custom: line() }));
  }
  if (anomalies.length) {
    frames.push(
      frame(SERIES_NAMES.anomaly, anomalies, {
        ...load,
        color: fixed('red'),
        custom: line({ drawStyle: 'points', pointSize: 9, showPoints: 'always', lineWidth: 0 }),
      }),
    );
  }
  const replicas = {
    unit: 'none',
    decimals: 0,
    min: 0,
    custom: line({ lineWidth: 1, lineInterpolation: 'stepAfter', axisPlacement: 'right', axisLabel: 'replicas' }),
  };
  if (series.current.length) {
    frames.push(frame(SERIES_NAMES.current, series.current, { ...replicas, color: fixed('orange') }));
  }
  if (series.desired.length) {
    frames.push(
      frame(SERIES_NAMES.desired, series.desired, { ...replicas, color: fixed('purple'), custom: { ...replicas.custom, lineStyle: { fill: 'dot' } } }),
    );
  }
  const decisions = decisionPoints(input.decisions ?? []);
  if (decisions.length) {
    frames.push(
      frame(SERIES_NAMES.decision, decisions, {
        ...replicas,
        color: fixed('#FF9830'),
        custom: { ...replicas.custom, drawStyle: 'points', pointSize: 11, showPoints: 'always', lineWidth: 0 },
      }),
    );
  }
  return frames;
}

/** One point per scale decision: when it was made, at the replicas it wanted. */
export function decisionPoints(decisions: readonly DecisionDto[]): Point[] {
  return decisions.map((d) => ({ t: Date.parse(d.at), v: d.desiredReplicas })).filter((p) => Number.isFinite(p.t));
}

function nearest(points: Point[], t: number): number | null {
  let best: Point | null = null;
  for (const p of points) {
    if (!best || Math.abs(p.t - t) < Math.abs(best.t - t)) {
      best = p;
    }
  }
  return best?.v ?? null;
}
