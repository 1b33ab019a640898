/**
 * `kustomize build` with the pinned kustomize (v5, built from the Go module proxy by test/cluster/build.sh;
 * scripts/test.sh builds it before Jest). The manifests use `components:` and `patches:`, which Debian's
 * kubectl 1.20 (kustomize 2.0.3) cannot read, so that kubectl is no longer used.
 */
import { execFileSync } from 'node:child_process';
import { goTool } from './go-tools';

/** `kustomize build DIR`: the YAML stream `kubectl apply -k DIR` would send. */
export function kustomize(dir: string): string {
  return execFileSync(goTool('kustomize'), ['build', dir], { encoding: 'utf8', timeout: 30_000 });
}
