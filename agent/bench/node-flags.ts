/**
 * The Node/V8 flags and environment the agent effectively runs with in its pod: the image's own (the
 * root Containerfile's ENTRYPOINT and ENV) and the heap sizing the pod's memory limit implies. In a container Node sizes V8's heap
 * from the cgroup memory limit (old generation ½ of it, 1 MB semi-spaces below 256 MB of old
 * generation); on this machine it would size it from 24 GB and let garbage pile up. So the benches pass
 * the flags the Deployment's own limit (agent/deploy/base/deployment.yaml) implies: change the limit or
 * the ENTRYPOINT and bench:footprint and bench:soak measure the new pod. BENCH_POD_LIMIT_MIB overrides
 * the limit (0: Node's own sizing on this machine); BENCH_NODE_FLAGS replaces all flags outright.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** limits.memory of the agent's container, in MiB. */
export function deploymentMemoryLimitMiB(root: string): number {
  const text = readFileSync(join(root, 'agent/deploy/base/deployment.yaml'), 'utf8');
  // Flow (`limits: { memory: 256Mi }`) or block style, as the chart renders it (`limits:` then `memory: 256Mi`).
  const m = /limits:\s*\{?\s*(?:[a-z-]+:\s*\S+,?\s*)*?memory:\s*(\d+)Mi\b/.exec(text);
  if (!m) throw new Error('agent/deploy/base/deployment.yaml has no `limits: memory: <n>Mi`');
  return Number(m[1]);
}

/** The `--…` arguments before the script in the Containerfile's exec-form ENTRYPOINT. */
export function containerNodeFlags(root: string): string[] {
  const m = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(readFileSync(join(root, 'Containerfile'), 'utf8'));
  if (!m) throw new Error('Containerfile has no exec-form ENTRYPOINT');
  const argv = JSON.parse(m[1]) as string[];
  return argv
    .slice(
      1,
      argv.findIndex((a) => a.endsWith('.js')),
    )
    .filter((a) => a.startsWith('--'));
}

/** The image's `ENV K=V` settings (final stage), e.g. NODE_ENV and MALLOC_ARENA_MAX. */
export function containerEnv(root: string): Record<string, string> {
  const text = readFileSync(join(root, 'Containerfile'), 'utf8');
  const finalStage = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const [, k, v] of finalStage.matchAll(/^ENV\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)\s*$/gm)) env[k] = v;
  return env;
}

export function heapFlagsForLimit(limitMiB: number): string[] {
  if (limitMiB <= 0) return [];
  const old = Math.floor(limitMiB / 2);
  return [`--max-old-space-size=${old}`, ...(old < 256 ? ['--max-semi-space-size=1'] : [])];
}

// Compiled to agent/.tmp/<bench>/agent/bench/: the repository root is five levels up.
const ROOT = join(__dirname, '../../../../..');
export const POD_LIMIT_MIB = process.env.BENCH_POD_LIMIT_MIB !== undefined ? Number(process.env.BENCH_POD_LIMIT_MIB) : deploymentMemoryLimitMiB(ROOT);
/** The environment the image sets for the agent process. */
export const AGENT_ENV = containerEnv(ROOT);
export const AGENT_NODE_FLAGS =
  process.env.BENCH_NODE_FLAGS !== undefined
    ? process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean)
    : [...containerNodeFlags(ROOT), ...heapFlagsForLimit(POD_LIMIT_MIB)];
