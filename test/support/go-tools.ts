/**
 * The pinned Helm and kustomize the tests run: built from the Go module proxy by test/cluster/build.sh
 * (scripts/test.sh builds them before Jest). Inside a test nothing is built: a missing tool fails at once
 * with the command that builds it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

export const REPO = join(__dirname, '..', '..');
export const CHART = join(REPO, 'charts', 'wedsync-agent');
const paths = new Map<string, string>();

export function goTool(name: 'helm' | 'kustomize'): string {
  if (!paths.has(name)) {
    let out: string;
    try {
      out = execFileSync('bash', [join(REPO, 'test', 'cluster', 'build.sh'), name], {
        encoding: 'utf8',
        env: { ...process.env, WEDSYNC_CLUSTER_CACHED_ONLY: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      throw new Error(
        `${name} is not built: run \`bash test/cluster/build.sh ${name}\` (scripts/test.sh does). ${String((err as { stderr?: string }).stderr ?? err)}`,
      );
    }
    const line = out.split('\n').find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`test/cluster/build.sh ${name} printed no path: ${out}`);
    paths.set(name, line.slice(name.length + 1).trim());
  }
  return paths.get(name)!;
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(tool: 'helm' | 'kustomize', args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Run {
  const r = spawnSync(goTool(tool), args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

export type Obj = any;

export const parseObjects = (text: string): Obj[] =>
  parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter(Boolean);

/** Writes values to a temp file, calls fn with its path, removes it. */
export function withValuesFile<T>(values: object, fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-values-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, stringify(values));
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm template wedsync-agent charts/wedsync-agent -n wedsync` with these values files (and inline values). */
export function helmTemplate(valuesFiles: string[], values: object = {}, release = 'wedsync-agent', namespace = 'wedsync'): Run {
  return withValuesFile(values, (file) =>
    run('helm', ['template', release, CHART, '--namespace', namespace, ...[...valuesFiles, file].flatMap((f) => ['--values', f])]),
  );
}
