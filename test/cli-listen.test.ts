/**
 * `wedsync-agent run` as a real process (the built CLI) on a port another listener on 127.0.0.1 holds:
 * it must say so, naming host:port, and exit non-zero at once, before any tick. Needs `npm run build`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', 'agent', 'bin', 'wedsync-agent.js');

test('a used port: clear EADDRINUSE message naming 127.0.0.1:PORT, exit code 1, nothing started (built CLI process)', async () => {
  const other = createServer();
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const { port } = other.address() as AddressInfo;
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-listen-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    [
      `agent: { listen: { host: 127.0.0.1, port: ${port} }, logLevel: info, tickSeconds: 1 }`,
      'sources: { sim: { type: simulator } }',
      'forecast: { backfillHours: 0 }',
      'targets:',
      '  - { id: web, kubernetes: { namespace: ns, name: web }, load: { source: sim, query: web }, capacityPerPod: 10, maxReplicas: 5 }',
    ].join('\n'),
  );
  try {
    const child = spawn(process.execPath, [BIN, 'run', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.on('exit', (c) => (clearTimeout(kill), resolve(c)));
    });
    expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}: address already in use`);
    expect(stderr).toContain('(EADDRINUSE)');
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/agent started|load read|tick/);
  } finally {
    other.close();
  }
});
