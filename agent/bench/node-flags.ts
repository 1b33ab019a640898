/**
 * The V8 heap flags the agent effectively runs with in its pod. In a container Node sizes V8's heap from
 * the cgroup memory limit (old generation ½ of it, 1 MB semi-spaces below 256 MB of old generation);
 * on this machine it would size it from 24 GB and let garbage pile up. So the benches pass the flags
 * the Deployment's own limit (agent/deploy/base/deployment.yaml) implies: change the limit there and
 * bench:footprint and bench:soak measure the new pod. BENCH_POD_LIMIT_MIB overrides the limit (0: no
 * flags, Node's own sizing on this machine); BENCH_NODE_FLAGS replaces the flags outright.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** limits.memory of the agent's container, in MiB. */
export function deploymentMemoryLimitMiB(root: string): number {
  const text = readFileSync(join(root, 'agent/deploy/base/deployment.yaml'), 'utf8');
  const m = /limits:\s*\{[^}]*memory:\s*(\d+)Mi\b/.exec(text);
  if (!m) throw new Error('agent/deploy/base/deployment.yaml has no `limits: { memory: <n>Mi }`');
  return Number(m[1]);
}

export function heapFlagsForLimit(limitMiB: number): string[] {
  if (limitMiB <= 0) return [];
  const old = Math.floor(limitMiB / 2);
  return [`--max-old-space-size=${old}`, ...(old < 256 ? ['--max-semi-space-size=1'] : [])];
}

// Compiled to agent/.tmp/<bench>/agent/bench/: the repository root is five levels up.
const ROOT = join(__dirname, '../../../../..');
export const POD_LIMIT_MIB = process.env.BENCH_POD_LIMIT_MIB !== undefined ? Number(process.env.BENCH_POD_LIMIT_MIB) : deploymentMemoryLimitMiB(ROOT);
export const AGENT_NODE_FLAGS = process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean) : heapFlagsForLimit(POD_LIMIT_MIB);
