/**
 * Load against the forecast band, anomalies, replicas and scale decisions (reason in the tooltip), drawn by Grafana's own TimeSeries (uPlot):
 * tooltips with units, the legend (click to toggle a series), zoom by dragging, and the dashboard's
 * shared crosshair (the panel context's cursor sync, as core panels do).
 */
import React, { memo, useMemo } from 'react';
import { css } from '@emotion/css';
import { applyFieldOverrides, dateTime, getValueFormat, formattedValueToString, type GrafanaTheme2, type TimeRange } from '@grafana/data';
import { EventBusPlugin, LegendDisplayMode, SeriesTable, TimeSeries, TooltipPlugin2, usePanelContext, useStyles2, useTheme2 } from '@grafana/ui';
import type { DashboardCursorSync } from '@grafana/schema';
import { chartFrames, SERIES_NAMES, type ChartInput } from '../data/chartFrames';
import { describeDecision } from '../data/decisionLog';
import { testIds } from '../testIds';

interface Props extends ChartInput {
  width: number;
  height: number;
  timeZone: string;
}

/** TooltipHoverMode.xAll (a const enum in @grafana/ui's types, so not importable as a value). */
const HOVER_ALL_SERIES = 1;

/** Memoised: typing in the override form re-renders the panel, and redrawing every chart per keystroke is slow. */
export const LoadChart = memo(function LoadChart({ width, height, timeZone, ...input }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const panel = usePanelContext();
  const frames = useMemo(() => {
    const raw = chartFrames(input);
    return applyFieldOverrides({ data: raw, fieldConfig: { defaults: {}, overrides: [] }, replaceVariables: (s) => s, theme, timeZone });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the inputs are listed one by one: `input` is a fresh object every render
  }, [input.series, input.forecast, input.live, input.anomalyThreshold, input.loadUnit, input.decisions, theme, timeZone]);
  // The reason of the decision at an instant, for the tooltip.
  const decisionAt = useMemo(() => new Map((input.decisions ?? []).map((d) => [Date.parse(d.at), d])), [input.decisions]);
  const timeRange = useMemo<TimeRange | null>(() => {
    const times = frames.flatMap((f) => f.fields[0].values as number[]);
    if (!times.length) {
      return null;
    }
    const from = dateTime(Math.min(...times));
    const to = dateTime(Math.max(...times));
    return { from, to, raw: { from, to } };
  }, [frames]);

  if (!timeRange) {
    return (
      <div className={styles.empty} data-testid={testIds.target.chartEmpty} style={{ height }}>
        No load data yet: add queries for wedsync_agent_observed_load and wedsync_agent_forecast_load, or wait for the agent&apos;s first tick.
      </div>
    );
  }
  const sync = panel.sync?.() as DashboardCursorSync | undefined;
  return (
    <div data-testid={testIds.target.chart} aria-label="Observed load against the forecast, anomalies and replicas">
      <TimeSeries
        frames={frames}
        timeRange={timeRange}
        timeZone={timeZone}
        width={width}
        height={height}
        legend={{ showLegend: true, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] }}
      >
        {(config, alignedFrame) => (
          <>
            {panel.eventBus && <EventBusPlugin config={config} eventBus={panel.eventBus} frame={alignedFrame} />}
            <TooltipPlugin2
              config={config}
              hoverMode={HOVER_ALL_SERIES as never}
              syncMode={sync}
              syncScope={panel.eventsScope}
              render={(u, dataIdxs) => {
                const xIdx = dataIdxs.find((i) => i !== null) ?? null;
                if (xIdx === null) {
                  return null;
                }
                const t = alignedFrame.fields[0].values[xIdx] as number;
                const rows = alignedFrame.fields.slice(1).flatMap((field, k) => {
                  const idx = dataIdxs[k + 1];
                  const v = idx === null || idx === undefined ? null : (field.values[idx] as number | null);
                  if (v === null || v === undefined) {
                    return [];
                  }
                  const shown = field.display ? formattedValueToString(field.display(v)) : formattedValueToString(getValueFormat(field.config.unit)(v));
                  const name = field.config.displayName ?? field.name;
                  const decision = name === SERIES_NAMES.decision ? decisionAt.get(t) : undefined;
                  return [{ label: name, value: decision ? describeDecision(decision) : shown, color: field.display?.(v).color }];
                });
                return (
                  <div data-testid={testIds.target.tooltip}>
                    <SeriesTable timestamp={dateTime(t).utc().format('YYYY-MM-DD HH:mm:ss') + ' UTC'} series={rows} />
                  </div>
                );
              }}
            />
          </>
        )}
      </TimeSeries>
    </div>
  );
});

const getStyles = (theme: GrafanaTheme2) => ({
  empty: css({
    color: theme.colors.text.secondary,
    display: 'flex',
    alignItems: 'center',
    padding: theme.spacing(1),
    border: `1px dashed ${theme.colors.border.weak}`,
  }),
});
