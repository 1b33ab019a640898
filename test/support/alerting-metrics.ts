/**
 * The metric names alert rules and dashboards may read: what the agent exports (METRIC, plus the
 * _bucket/_sum/_count series of its histograms), our recording rules, and the series Prometheus itself
 * writes (`up`, `ALERTS`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { METRIC } from '../../agent/src/metrics/names';

export const REPO_ROOT = join(__dirname, '..', '..');
export const ALERT_RULES_DIR = join(REPO_ROOT, 'alert-rules');
export const RULES_DIR = join(ALERT_RULES_DIR, 'rules');

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function ruleFiles(): string[] {
  return readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.rules.yml'))
    .map((f) => join(RULES_DIR, f));
}

export function loadRules(): Rule[] {
  return ruleFiles().flatMap((file) => (parse(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules));
}

const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'];
const PROMETHEUS_SERIES = ['up', 'ALERTS'];

export function allowedMetricNames(): Set<string> {
  const allowed = new Set<string>(PROMETHEUS_SERIES);
  for (const name of Object.values(METRIC)) {
    allowed.add(name);
    if (name.endsWith('_duration_seconds')) for (const s of HISTOGRAM_SUFFIXES) allowed.add(name + s);
  }
  for (const rule of loadRules()) if (rule.record) allowed.add(rule.record);
  return allowed;
}
