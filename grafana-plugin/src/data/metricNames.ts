/**
 * The agent metrics the panel reads (names copied from agent/src/metrics/names.ts, the one source of
 * truth), and the role each plays on the chart. A query is recognised by its metric name (`__name__`
 * label or frame name) or, when a PromQL function dropped the name, by its refId (e.g. `observed`).
 */
export type SeriesRole = 'observed' | 'forecast' | 'lower' | 'upper' | 'current' | 'desired' | 'anomaly';

export const METRIC_ROLE: Record<string, SeriesRole> = {
  wedsync_agent_observed_load: 'observed',
  wedsync_agent_forecast_load: 'forecast',
  wedsync_agent_forecast_lower_load: 'lower',
  wedsync_agent_forecast_upper_load: 'upper',
  wedsync_agent_replicas_current: 'current',
  wedsync_agent_replicas_desired: 'desired',
  wedsync_agent_anomaly_score: 'anomaly',
};

export const SERIES_ROLES: readonly SeriesRole[] = ['observed', 'forecast', 'lower', 'upper', 'current', 'desired', 'anomaly'];

/** The queries a dashboard needs (also used by the provisioning example and the README). */
export const RECOMMENDED_QUERIES: Array<{ refId: SeriesRole; expr: string }> = Object.entries(METRIC_ROLE).map(([metric, role]) => ({
  refId: role,
  expr: metric,
}));
