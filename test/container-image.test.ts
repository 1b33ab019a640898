/**
 * The container image for real: the root Containerfile built with Podman on a local stand-in for
 * node:20-bookworm-slim (no image registry is reachable here: debootstrap + this machine's node, see
 * support/container), then started the way a cluster runs it — read-only root filesystem, user 65532.
 * The demo serves /readyz and /metrics; a bad or missing mounted config exits 2 naming file and key.
 * And through a real registry: Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1,
 * `podman push`, then pulled back by its digest and run — what README's "pin by digest" tells users.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poll } from './support/poll';
import { freePort } from './support/alerting-processes';
import { buildImage, makeNodeBase, podman, PODMAN, REPO, requireContainerTools, RUN_LIMITS } from './support/container/podman';

const VERSION: string = JSON.parse(readFileSync(join(REPO, 'agent', 'package.json'), 'utf8')).version;
const IMAGE = `localhost/wedsync-agent:${VERSION}-test`;
const CONFIG = '/etc/wedsync/agent.yaml';
const SECURE = [...RUN_LIMITS, '--read-only', '--user', '65532'];

beforeAll(async () => {
  requireContainerTools();
  await buildImage(makeNodeBase(), IMAGE);
}, 540_000);

describe('container image (Containerfile built and run with real Podman, local debootstrap base)', () => {
  test('carries the OCI labels, runs as user 65532 by default and never as root', async () => {
    const inspect = JSON.parse((await podman(['image', 'inspect', IMAGE])).stdout)[0];
    expect(inspect.Config.Labels).toMatchObject({
      'org.opencontainers.image.source': expect.stringMatching(/^https:\/\//),
      'org.opencontainers.image.version': VERSION,
      'org.opencontainers.image.licenses': 'MIT',
    });
    expect(inspect.Config.User).toBe('65532:65532');
    expect(inspect.Config.Cmd).toEqual(['run', '--config', CONFIG]);
    for (const user of [[], ['--user', '65532']]) {
      const id = await podman(['run', '--rm', ...RUN_LIMITS, '--read-only', ...user, '--entrypoint', 'id', IMAGE, '-u']);
      expect(id).toMatchObject({ code: 0 });
      expect(id.stdout.trim()).not.toBe('0');
      expect(id.stdout.trim()).toBe('65532');
    }
  }, 30_000);

  test('demo on a read-only root filesystem as 65532 serves /readyz and wedsync_agent_* on /metrics', async () => {
    const name = `wedsync-image-test-${process.pid}`;
    // Host networking keeps the demo on 127.0.0.1 (port 0: the kernel picks one, the banner names it).
    const child = spawn('podman', [...PODMAN, 'run', '--rm', '--name', name, ...SECURE, '--network', 'host', IMAGE, 'demo', '--port', '0', '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const base = await bannerUrl(child);
      const ready = await poll(async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined), 30_000);
      expect(ready).toBe(true);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^wedsync_agent_build_info\{[^}]*version="[^"]+"/m);
      expect(metrics).toMatch(/^wedsync_agent_replicas_desired\{[^}]*target="api"/m);
    } finally {
      await podman(['rm', '-f', '-t', '1', name]);
    }
  }, 90_000);

  test.each([
    ['a broken value', 'agent:\n  mode: sideways\n', /agent\.mode/],
    ['an inline secret', 'sinks:\n  - { type: datadog, apiKey: abc123 }\n', /sinks\[0\]\.apiKey: is a secret/],
    [
      'a missing Secret-backed variable',
      'sinks:\n  - { type: datadog, apiKey: "${DD_API_KEY}" }\n',
      /sinks\[0\]\.apiKey: environment variable DD_API_KEY is not set/,
    ],
  ])(
    'run with %s in the mounted config exits 2 naming the file and the key',
    async (_what, yaml, key) => {
      const dir = mkdtempSync(join(tmpdir(), 'wedsync-image-'));
      writeFileSync(
        join(dir, 'agent.yaml'),
        `targets:\n  - { id: web, kubernetes: { namespace: a, name: b }, load: { source: p, query: q }, capacityPerPod: 5 }\nsources: { p: { type: push } }\n${yaml}`,
        { mode: 0o644 },
      );
      const r = await podman(['run', '--rm', ...SECURE, '--volume', `${join(dir, 'agent.yaml')}:${CONFIG}:ro`, IMAGE]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(CONFIG);
      expect(r.stderr).toMatch(key);
    },
    30_000,
  );

  test('run with no config mounted exits 2 naming the file it could not read', async () => {
    const r = await podman(['run', '--rm', ...SECURE, IMAGE]);
    expect(r).toMatchObject({ code: 2 });
    expect(r.stderr).toContain(`${CONFIG}: (top level): cannot read: ENOENT`);
  }, 30_000);
});

function bannerUrl(child: ChildProcess): Promise<string> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no demo banner within 60 s: ${out}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /metrics\s+(http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`container exited early (${code}): ${out}`));
    });
  });
}

describe('the image through a real OCI registry (Debian docker-registry on 127.0.0.1): push, pull by digest, run', () => {
  const REGISTRY = '/usr/bin/docker-registry';
  let registry: ChildProcess | null = null;
  afterAll(() => {
    if (registry && registry.exitCode === null) registry.kill('SIGTERM');
  });

  test('podman push, then pull by digest and run the pulled image: it is the same image, and it runs', async () => {
    if (!existsSync(REGISTRY))
      throw new Error('missing docker-registry: install with `apt-get update && apt-get install -y docker-registry` (or run scripts/ensure-tools.sh)');
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-registry-'));
    const port = await freePort();
    const config = join(dir, 'config.yml');
    writeFileSync(
      config,
      [
        'version: 0.1',
        'log: { level: warn }',
        `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }`,
        `http: { addr: 127.0.0.1:${port} }`,
        '',
      ].join('\n'),
    );
    registry = spawn(REGISTRY, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    await poll(async () => ((await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => null))?.status === 200 ? true : undefined), 30_000, 200);

    const remote = `127.0.0.1:${port}/wedsync/wedsync-agent:${VERSION}`;
    const digestFile = join(dir, 'digest');
    const push = await podman(['push', '--tls-verify=false', '--digestfile', digestFile, IMAGE, remote], 300_000);
    expect(push).toMatchObject({ code: 0 });
    const digest = readFileSync(digestFile, 'utf8').trim();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The registry serves the manifest under that digest (what a cluster pulls when the manifest pins it).
    const manifest = await fetch(`http://127.0.0.1:${port}/v2/wedsync/wedsync-agent/manifests/${digest}`, {
      headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(digest);

    const byDigest = `127.0.0.1:${port}/wedsync/wedsync-agent@${digest}`;
    // The built image's id, read first: removing by digest may remove the image with every tag of it.
    const built = (await podman(['image', 'inspect', '--format', '{{.Id}}', IMAGE])).stdout.trim();
    expect(built).toMatch(/^[0-9a-f]{64}$/);
    await podman(['rmi', '-f', byDigest]);
    const pull = await podman(['pull', '--tls-verify=false', byDigest], 300_000);
    expect(pull).toMatchObject({ code: 0 });
    // Pulled from the registry, it is the image that was built: same image id.
    const pulled = await podman(['image', 'inspect', '--format', '{{.Id}}', byDigest]);
    expect(pulled.stdout.trim()).toBe(built);
    const version = await podman(['run', '--rm', ...SECURE, byDigest, '--version']);
    expect(version).toMatchObject({ code: 0 });
    expect(version.stdout.trim()).toBe(VERSION);
    await podman(['rmi', '-f', byDigest]);
  }, 600_000);
});
