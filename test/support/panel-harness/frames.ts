/**
 * Prometheus-shaped frames for the harness, generated around the agent's clock (the demo runs faster
 * than real time). Synthetic on purpose: the browser test checks the panel and the API, not Prometheus.
 */
import { FieldType, toDataFrame, type DataFrame } from '@grafana/data';

const STEP_MS = 5 * 60_000;
const POINTS = 36; // three hours

function frame(metric: string, target: string, nowMs: number, value: (i: number) => number): DataFrame {
  const times = Array.from({ length: POINTS }, (_, i) => nowMs - (POINTS - 1 - i) * STEP_MS);
  return toDataFrame({
    refId: metric,
    fields: [
      { name: 'Time', type: FieldType.time, values: times },
      { name: 'Value', type: FieldType.number, values: times.map((_, i) => value(i)), labels: { __name__: metric, target, job: 'wedsync-agent' } },
    ],
  });
}

/** `levels`: each target's current load (from the agent), so the history meets the agent's forecast. */
export function harnessFrames(targets: string[], nowMs: number, levels: Record<string, number> = {}): DataFrame[] {
  return targets.flatMap((target, k) => {
    const base = levels[target] ?? 150 + 60 * k;
    const wave = base * 0.15;
    const load = (i: number) => base + wave * Math.sin(i / 5) + (i === 27 ? base * 0.6 : 0);
    return [
      frame('wedsync_agent_observed_load', target, nowMs, load),
      frame('wedsync_agent_forecast_load', target, nowMs, (i) => base + wave * Math.sin((i - 1) / 5)),
      frame('wedsync_agent_forecast_lower_load', target, nowMs, (i) => base * 0.88 + wave * Math.sin((i - 1) / 5)),
      frame('wedsync_agent_forecast_upper_load', target, nowMs, (i) => base * 1.12 + wave * Math.sin((i - 1) / 5)),
      frame('wedsync_agent_anomaly_score', target, nowMs, (i) => (i === 27 ? 0.95 : 0.05)),
      frame('wedsync_agent_replicas_current', target, nowMs, (i) => 4 + Math.floor(i / 12)),
      frame('wedsync_agent_replicas_desired', target, nowMs, (i) => 4 + Math.floor((i + 3) / 12)),
    ];
  });
}
