/**
 * A real Prometheus (Debian `prometheus`) holding weeks of history: series written as OpenMetrics text,
 * turned into TSDB blocks by `promtool tsdb create-blocks-from openmetrics`, served with a long retention
 * (RECIPES.md) so backfilled blocks are not deleted at start-up. The history must lie in the past.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startProcess, waitFor, type RunningProcess } from './alerting-processes';
import { requireTool, runTool } from './alerting-tools';

export interface HistorySeries {
  /** Family name (for a counter, without `_total`; samples are written as `<name>_total`). */
  name: string;
  type: 'gauge' | 'counter';
  labels: Record<string, string>;
  /** [epoch ms, value], in time order. */
  points: Array<[number, number]>;
}

export function openMetricsText(series: HistorySeries[]): string {
  const lines: string[] = [];
  const families = new Map<string, HistorySeries[]>();
  for (const s of series) families.set(s.name, [...(families.get(s.name) ?? []), s]);
  for (const [name, members] of families) {
    lines.push(`# TYPE ${name} ${members[0].type}`);
    for (const s of members) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${v}"`)
        .join(',');
      const metric = `${name}${s.type === 'counter' ? '_total' : ''}${labels ? `{${labels}}` : ''}`;
      for (const [t, v] of s.points) lines.push(`${metric} ${v} ${t / 1000}`);
    }
  }
  lines.push('# EOF');
  return lines.join('\n') + '\n';
}

export interface HistoryPrometheus {
  url: string;
  process: RunningProcess;
  stop(): Promise<void>;
}

/** Backfills `series` into `dir`/data and starts Prometheus on it (127.0.0.1, a free port). */
export async function startPrometheusWithHistory(dir: string, series: HistorySeries[]): Promise<HistoryPrometheus> {
  const bin = requireTool('prometheus');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'history.om'), openMetricsText(series));
  const made = runTool('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'history.om'), join(dir, 'data')]);
  if (made.status !== 0) throw new Error(`promtool tsdb create-blocks-from openmetrics failed:\n${made.output}`);
  writeFileSync(join(dir, 'prometheus.yml'), 'global: {}\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startProcess('prometheus', bin, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    '--storage.tsdb.retention.time=400d',
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  await waitFor(
    'Prometheus to be ready',
    async () => {
      if (proc.exited()) throw new Error(`prometheus exited\n${proc.output()}`);
      return (
        (await fetch(`${url}/-/ready`)
          .then((r) => r.ok)
          .catch(() => false)) || undefined
      );
    },
    20_000,
    100,
  );
  return { url, process: proc, stop: () => proc.stop() };
}
