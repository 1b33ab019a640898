// The pinned Helm and kustomize, built from the Go module proxy by test/cluster/build.sh (wrapper modules
// in test/cluster/tools/{helm,kustomize}; built once into the shared cache, which it prints).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD = join(fileURLToPath(import.meta.url), '..', '..', '..', 'test', 'cluster', 'build.sh');
const paths = new Map();

/**
 * The path of `helm` or `kustomize`. Builds it first when the cache lacks it (minutes, once), unless
 * WEDSYNC_CLUSTER_CACHED_ONLY is set (tests), when a missing tool fails at once with the build command.
 */
export function goTool(name) {
  if (!paths.has(name)) {
    const out = execFileSync('bash', [BUILD, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const line = out.split('\n').find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`test/cluster/build.sh ${name} printed no path for ${name}: ${out}`);
    paths.set(name, line.slice(name.length + 1).trim());
  }
  return paths.get(name);
}
