// `helm template` of charts/wedsync-agent, as objects each with the chart template it came from.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { goTool } from './go-tools.mjs';

export const RELEASE = 'wedsync-agent';
export const NAMESPACE = 'wedsync';

/** Renders the chart with these values (objects, in order); each gets a `source` (the template's file name). */
export function renderChart(chartDir, values, { release = RELEASE, namespace = NAMESPACE } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-chart-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, stringify(values));
    const text = execFileSync(goTool('helm'), ['template', release, chartDir, '--namespace', namespace, '--values', file], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return parseRendered(text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A `helm template` stream → [{ source, object }], `source` from its "# Source: chart/templates/x.yaml" line. */
export function parseRendered(text) {
  return text
    .split(/^---\s*$/m)
    .map((chunk) => ({
      source: /^# Source: \S+\/templates\/(\S+)$/m.exec(chunk)?.[1],
      docs: parseAllDocuments(chunk)
        .map((d) => d.toJS())
        .filter(Boolean),
    }))
    .filter((c) => c.docs.length)
    .map((c) => ({ source: basename(c.source ?? 'unknown.yaml'), object: c.docs[0] }));
}

export const keyOf = (o) =>
  `${o.apiVersion.split('/').length > 1 ? o.apiVersion.split('/')[0] : ''}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
