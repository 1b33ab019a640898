/**
 * Observed load against the forecast and its band, with anomaly markers: a small SVG chart, because the
 * band, the future forecast from the agent API and the markers are one picture that must render the same
 * in Grafana, in the browser harness and in jsdom (where canvas charts draw nothing).
 */
import React from 'react';
import { css } from '@emotion/css';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { GrafanaTheme2 } from '@grafana/data';
import type { Point, TargetSeries } from '../data/frames';
import type { ForecastDto } from '../types';
import { testIds } from '../testIds';

interface Props {
  series: TargetSeries;
  forecast: ForecastDto | null;
  anomalyThreshold: number;
  /** The agent's "now": a marker between history and forecast. */
  nowMs?: number;
  width: number;
  height: number;
}

const PAD = { left: 40, right: 8, top: 8, bottom: 18 };

export function LoadChart({ series, forecast, anomalyThreshold, nowMs, width, height }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const future = forecast?.points.map((p) => ({ t: Date.parse(p.t), value: p.value, lower: p.lower, upper: p.upper })).filter((p) => Number.isFinite(p.t)) ?? [];
  const forecastLine = mergeByTime(series.forecast, future.map((p) => ({ t: p.t, v: p.value })));
  const lower = mergeByTime(series.lower, future.map((p) => ({ t: p.t, v: p.lower })));
  const upper = mergeByTime(series.upper, future.map((p) => ({ t: p.t, v: p.upper })));
  const all = [...series.observed, ...forecastLine, ...lower, ...upper];
  if (series.observed.length === 0 && forecastLine.length === 0) {
    return (
      <div className={styles.empty} data-testid={testIds.target.chartEmpty} style={{ height }}>
        No load data: add queries for wedsync_agent_observed_load and wedsync_agent_forecast_load, or set the agent URL.
      </div>
    );
  }
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t), t0 + 1);
  const vMax = Math.max(...all.map((p) => p.v), 1) * 1.1;
  const w = Math.max(width, PAD.left + PAD.right + 10);
  const x = (t: number) => PAD.left + ((t - t0) / (t1 - t0)) * (w - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - v / vMax) * (height - PAD.top - PAD.bottom);
  const line = (pts: Point[]) => pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const band = upper.length && lower.length ? `${line(upper)} ${[...lower].reverse().map((p) => `L${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')} Z` : '';
  const markers = series.anomaly.filter((a) => a.v >= anomalyThreshold).map((a) => ({ t: a.t, v: valueAt(series.observed, a.t), score: a.v }));
  const colors = { observed: theme.visualization.getColorByName('green'), forecast: theme.visualization.getColorByName('blue'), anomaly: theme.colors.error.main };

  return (
    <svg width={w} height={height} data-testid={testIds.target.chart} role="img" aria-label="Observed load against the forecast">
      <text x={4} y={PAD.top + 8} className={styles.axis}>{fmt(vMax)}</text>
      <text x={4} y={height - PAD.bottom} className={styles.axis}>0</text>
      <text x={PAD.left} y={height - 4} className={styles.axis}>{clock(t0)}</text>
      <text x={w - PAD.right} y={height - 4} textAnchor="end" className={styles.axis}>{clock(t1)}</text>
      <line x1={PAD.left} x2={w - PAD.right} y1={y(0)} y2={y(0)} stroke={theme.colors.border.weak} />
      {nowMs !== undefined && nowMs > t0 && nowMs < t1 && (
        <g>
          <line x1={x(nowMs)} x2={x(nowMs)} y1={PAD.top} y2={y(0)} stroke={theme.colors.text.disabled} strokeDasharray="2 3" />
          <text x={x(nowMs) + 3} y={PAD.top + 8} className={styles.axis}>now</text>
        </g>
      )}
      {band && <path d={band} fill={colors.forecast} fillOpacity={0.18} stroke="none" data-testid={testIds.target.forecastBand} />}
      {forecastLine.length > 0 && <path d={line(forecastLine)} fill="none" stroke={colors.forecast} strokeWidth={1.5} strokeDasharray="5 3" data-testid={testIds.target.forecastLine} />}
      {series.observed.length > 0 && <path d={line(series.observed)} fill="none" stroke={colors.observed} strokeWidth={2} data-testid={testIds.target.observedLine} />}
      {markers.map((m) => (
        <circle key={m.t} cx={x(m.t)} cy={y(m.v ?? 0)} r={4} fill={colors.anomaly} data-testid={testIds.target.anomalyMarker}>
          <title>{`anomaly score ${m.score.toFixed(2)} at ${new Date(m.t).toISOString()}`}</title>
        </circle>
      ))}
    </svg>
  );
}

/** Prometheus history first, then the agent's future points after the last sample. */
function mergeByTime(history: Point[], future: Point[]): Point[] {
  const lastT = history.length ? history[history.length - 1].t : -Infinity;
  return [...history, ...future.filter((p) => p.t > lastT)];
}

function valueAt(points: Point[], t: number): number | null {
  if (!points.length) {return null;}
  let best = points[0];
  for (const p of points) {if (Math.abs(p.t - t) < Math.abs(best.t - t)) {best = p;}}
  return best.v;
}

function fmt(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(v < 10 ? 1 : 0);
}

function clock(t: number): string {
  return new Date(t).toISOString().slice(11, 16) + 'Z';
}

const getStyles = (theme: GrafanaTheme2) => ({
  axis: css({ fill: theme.colors.text.secondary, fontSize: 10 }),
  empty: css({ color: theme.colors.text.secondary, display: 'flex', alignItems: 'center', padding: theme.spacing(1), border: `1px dashed ${theme.colors.border.weak}` }),
});
