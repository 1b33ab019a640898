/**
 * The real Prometheus/Alertmanager binaries the alerting tests run (Debian packages `prometheus` and
 * `prometheus-alertmanager`). A missing tool is a test failure that says how to install it — never a skip.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Binary name → the Debian package that ships it. */
const PACKAGE_OF: Record<string, string> = {
  prometheus: 'prometheus',
  promtool: 'prometheus',
  'prometheus-alertmanager': 'prometheus-alertmanager',
  amtool: 'prometheus-alertmanager',
};

export function installHint(tool: string): string {
  const pkg = PACKAGE_OF[tool] ?? tool;
  return (
    `"${tool}" is not installed (Debian package "${pkg}"). Install it with ` +
    `\`sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkg}\` ` +
    `or run \`bash scripts/ensure-tools.sh\` as root.`
  );
}

/** Absolute path of a tool on PATH; throws with the install hint when it is missing. */
export function requireTool(tool: string, path = process.env.PATH ?? ''): string {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, tool);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(installHint(tool));
}

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertion messages. */
  output: string;
}

/** Runs a tool to completion (promtool and amtool finish in well under a second). */
export function runTool(tool: string, args: string[], cwd?: string): ToolResult {
  const bin = requireTool(tool);
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
}
