/**
 * Debian's kubectl (kubernetes-client 1.20, kustomize 2.0.3: the oldest kustomize the manifests support).
 * scripts/ensure-tools.sh installs it, or unpacks it into .tmp/tools when another package owns
 * /usr/bin/kubectl; that unpacked copy is preferred.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const UNPACKED = join(__dirname, '..', '..', '.tmp', 'tools', 'kubernetes-client', 'usr', 'bin', 'kubectl');

export function debianKubectl(): string {
  if (existsSync(UNPACKED)) return UNPACKED;
  let status = '';
  try {
    status = execFileSync('dpkg-query', ['-W', '-f=${Status}', 'kubernetes-client'], { encoding: 'utf8' });
  } catch {
    // not installed: reported below
  }
  if (status.includes('install ok installed')) return '/usr/bin/kubectl';
  throw new Error("Debian's kubectl is missing: run scripts/ensure-tools.sh (apt-get install -y kubernetes-client, or unpacked into .tmp/tools when another kubectl owns /usr/bin/kubectl)");
}

/** `kubectl kustomize DIR`: the YAML stream kubectl apply -k would send. */
export function kustomize(dir: string): string {
  return execFileSync(debianKubectl(), ['kustomize', dir], { encoding: 'utf8', timeout: 30_000 });
}
