/**
 * The Node/V8 flags the agent runs with in its container: read from the root Containerfile's ENTRYPOINT,
 * so bench:footprint and bench:soak measure the process the image starts, not a guess at it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function containerNodeFlags(root: string): string[] {
  const text = readFileSync(join(root, 'Containerfile'), 'utf8');
  const m = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(text);
  if (!m) throw new Error('Containerfile has no exec-form ENTRYPOINT');
  const argv = JSON.parse(m[1]) as string[];
  return argv.slice(1).filter((a) => a.startsWith('--'));
}

// Compiled to agent/.tmp/<bench>/agent/bench/: the repository root is five levels up.
export const AGENT_NODE_FLAGS = process.env.BENCH_NODE_FLAGS !== undefined ? process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean) : containerNodeFlags(join(__dirname, '../../../../..'));
