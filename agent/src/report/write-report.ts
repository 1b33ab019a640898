/**
 * Writes a report folder: summary.json (the figures), replicas.csv (`timestamp,replicas`, one row per
 * minute; with several targets one `replicas-<target>.csv` each) and the self-contained report.html.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replicasCsv } from '../replay/compare';
import { buildTargetReport, summaryJson, type ReplayedTarget } from './report-model';
import { reportHtml } from './report-html';

export interface ReportMeta {
  title: string;
  /** Where the data came from: a trace folder, or the Prometheus URL. */
  source: string;
  fromMs: number;
  toMs: number;
  generatedAtMs: number;
}

/** Returns the files written. */
export function writeReport(dir: string, targets: ReplayedTarget[], meta: ReportMeta): string[] {
  mkdirSync(dir, { recursive: true });
  const reports = targets.map(buildTargetReport);
  const files: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    files.push(join(dir, name));
  };
  write('summary.json', JSON.stringify(summaryJson(reports, meta), null, 2) + '\n');
  for (const t of targets) write(targets.length === 1 ? 'replicas.csv' : `replicas-${t.id}.csv`, replicasCsv(t.trace, t.agentReplicas));
  write('report.html', reportHtml({ ...meta, targets: reports }));
  return files;
}
