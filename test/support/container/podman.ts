/**
 * Podman as this machine needs it (RECIPES.md): the runc runtime (crun fails on hybrid cgroups here) and
 * explicit ulimits (the defaults exceed the machine's hard limits). The image test and the image benchmark
 * both build through here, so they measure the same build.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const REPO = join(__dirname, '..', '..', '..');
export const PODMAN = ['--runtime', '/usr/sbin/runc'];
export const RUN_LIMITS = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
const execFileAsync = promisify(execFile);

/** A missing tool is a failure with the command that installs it, never a skipped test. */
export function requireContainerTools(): void {
  const missing = [
    ['podman', '/usr/bin/podman'],
    ['runc', '/usr/sbin/runc'],
    ['debootstrap', '/usr/sbin/debootstrap'],
  ].filter(([, path]) => !existsSync(path));
  if (missing.length) {
    const names = missing.map(([n]) => n).join(' ');
    throw new Error(`missing ${names}: install with \`apt-get update && apt-get install -y ${names}\` (or run scripts/ensure-tools.sh)`);
  }
}

export async function podman(args: string[], timeoutMs = 60_000): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await execFileAsync('podman', [...PODMAN, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number | string };
    if (typeof e.code !== 'number') throw err;
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: e.code };
  }
}

/** The local node:20-bookworm-slim stand-in (debootstrap + this machine's node), made once and cached. */
export function makeNodeBase(): string {
  return execFileSync('bash', [join(__dirname, 'make-node-base.sh')], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}

/**
 * `podman build` of the root Containerfile on `base`. Behind this machine's TLS-intercepting proxy the
 * build trusts the CA that NODE_EXTRA_CA_CERTS names (mounted at /run/extra-ca.pem); the host's npm
 * cache is lent to the build as an overlay (`:O`: the build's writes are thrown away), so packages the
 * workspace's `npm ci` already fetched are not fetched again.
 */
export async function buildImage(base: string, tag: string, extra: string[] = []): Promise<void> {
  const args = ['build', '--ulimit', 'nofile=1024:1024', '--build-arg', `BASE_IMAGE=${base}`, '-t', tag, '-f', join(REPO, 'Containerfile'), ...extra];
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  if (ca && existsSync(ca)) args.push('--volume', `${ca}:/run/extra-ca.pem:ro`, '--build-arg', 'NODE_EXTRA_CA_CERTS=/run/extra-ca.pem');
  const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
  if (existsSync(npmCache)) args.push('--volume', `${npmCache}:/root/.npm:O`);
  const r = await podman([...args, REPO], 600_000);
  if (r.code !== 0) throw new Error(`podman build failed (${r.code}):\n${(r.stderr || r.stdout).slice(-4000)}`);
}
