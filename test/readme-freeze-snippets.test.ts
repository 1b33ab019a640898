/**
 * The README's pipeline snippets for the deploy freeze are real: each parses as YAML of its kind, its
 * freeze-check command line is accepted by the CLI (run in-process against an address where nothing
 * listens: exit 1 "cannot reach", never a usage error), and the Argo CD hook Job passes the Kubernetes
 * schemas (the manifests' checker).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main } from '../agent/src/cli/main';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const section = README.slice(README.indexOf('## Deploy freeze'), README.indexOf('\n## ', README.indexOf('## Deploy freeze') + 5));
/** YAML documents, walked by their known shapes. */
const blocks: any[] = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]));
const [[github], gitlab, argo] = blocks;

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** The freeze-check arguments of a command line, with --agent pointed at `agent`. */
function freezeArgs(words: string[], agent: string): string[] {
  const args = words.slice(words.indexOf('freeze-check') + 1);
  args[args.indexOf('--agent') + 1] = agent;
  return args;
}

async function runCli(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', 'freeze-check', ...args], { out: () => undefined, err: (l) => err.push(l) });
  return { code, err: err.join('\n') };
}

describe('README: deploy-freeze pipeline snippets', () => {
  it('has the three snippets: a GitHub Actions step, a GitLab job, an Argo CD PreSync hook Job', () => {
    expect(blocks).toHaveLength(3);
    expect(github.run).toMatch(/freeze-check --agent /);
    expect(github.env.WEDSYNC_AGENT_TOKEN).toMatch(/secrets\./);
    expect(gitlab['freeze-check'].script[0]).toMatch(/freeze-check --agent /);
    expect(argo).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { annotations: { 'argocd.argoproj.io/hook': 'PreSync' } } });
  });

  it('each freeze-check command line is accepted by the CLI (exit 1: nothing listens; not 2: usage)', async () => {
    const agent = `http://127.0.0.1:${await closedPort()}`;
    const dir = mkdtempSync(join(tmpdir(), 'readme-freeze-'));
    const token = join(dir, 'token');
    writeFileSync(token, 'viewer-token-0000000000');
    const lines = [github.run as string, gitlab['freeze-check'].script[0] as string];
    const argoArgs: string[] = argo.spec.template.spec.containers[0].args;
    const candidates = [
      ...lines.map((l) => freezeArgs(l.split(/\s+/), agent)),
      freezeArgs(argoArgs, agent).map((a) => (a === '/var/run/wedsync/token' ? token : a)),
    ];
    process.env.WEDSYNC_AGENT_TOKEN = 'viewer-token-0000000000';
    try {
      for (const args of candidates) {
        const r = await runCli(args);
        expect({ args, code: r.code, err: r.err }).toMatchObject({ code: 1, err: expect.stringMatching(/cannot reach the agent/) });
      }
    } finally {
      delete process.env.WEDSYNC_AGENT_TOKEN;
    }
  });

  it('the Argo CD hook Job passes the Kubernetes schemas (no unknown fields) and runs non-root with a read-only root filesystem', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'readme-argo-')), 'job.yaml');
    const m = /```yaml\n(apiVersion: batch\/v1[\s\S]*?)```/.exec(section)!;
    writeFileSync(file, m[1]);
    const results = JSON.parse(
      execFileSync(process.execPath, [join(__dirname, 'support/kube-manifest-check.mjs'), file], { encoding: 'utf8', timeout: 60_000 }),
    );
    expect(results).toEqual([expect.objectContaining({ kind: 'Job', errors: [] })]);
    expect(argo.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(argo.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });
});
