/**
 * `npm run bench:replay` (first half): the built CLI of this commit against the previous release's,
 * side by side in one run, on every shared trace: `wedsync-agent replay --trace DIR --output replicas.csv`
 * as a fresh process each, alternating old and new, REPLAY_SPEED_RUNS times (default 3; medians). Wall
 * time, CPU time (user + system, from the process's rusage) and peak RSS per trace, the ratio, and
 * whether the two replicas.csv are byte-identical (decisions must not change).
 *
 * The release is the commit tagged v<version> when that tag exists, else RELEASE_COMMIT (0.1.0 as it
 * stood before this work; no tag was cut), or REPLAY_BASELINE=<ref>. It is taken with `git archive` into
 * a temp folder and compiled there with this checkout's TypeScript and node_modules (kept between runs).
 *
 * Env: WEDSYNC_TRACES, REPLAY_SPEED_RUNS, REPLAY_ONLY (comma-separated trace names), REPLAY_BASELINE.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AGENT_DIR, BUILT_CLI, SHARED_TRACES } from './bench-paths';

/** 0.1.0 before the replay speed work (issue 25); used when no v0.1.0 tag exists. */
export const RELEASE_COMMIT = '84e91f3';
const RUNS = Number(process.env.REPLAY_SPEED_RUNS ?? 3);
const REPO = resolve(AGENT_DIR, '..');

const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();

function releaseRef(): string {
  if (process.env.REPLAY_BASELINE) return process.env.REPLAY_BASELINE;
  const version = (JSON.parse(readFileSync(join(AGENT_DIR, 'package.json'), 'utf8')) as { version: string }).version;
  try {
    return git('rev-parse', '--verify', '--quiet', `v${version}^{commit}`);
  } catch {
    return RELEASE_COMMIT;
  }
}

/** The release's CLI, built once into a temp folder (agent/src, compiled with this checkout's tsc). */
function buildRelease(ref: string): string {
  const sha = git('rev-parse', ref);
  const dir = join(tmpdir(), `wedsync-release-${sha.slice(0, 12)}`);
  const cli = join(dir, 'agent', 'dist', 'cli', 'main.js');
  if (existsSync(cli)) return cli;
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${sha} agent/src agent/package.json agent/tsconfig.build.json tsconfig.json | tar -x -C "${dir}"`], { cwd: REPO });
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'agent', 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  return cli;
}

interface Run {
  wall: number;
  cpu: number;
  rssMb: number;
  sha: string;
}

/** One fresh replay process, measured by GNU time's view of its rusage (wall, user + system, max RSS). */
function runOnce(cli: string, trace: string): Run {
  const out = join(tmpdir(), `wedsync-speed-${process.pid}.csv`);
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, cli, 'replay', '--trace', join(SHARED_TRACES, trace), '--output', out], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`${cli} replay ${trace} failed: ${r.stderr}`);
  const [user, sys, rssKb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall, cpu: user + sys, rssMb: rssKb / 1024, sha: createHash('sha256').update(readFileSync(out)).digest('hex') };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

function main(): void {
  if (!existsSync('/usr/bin/time')) {
    console.error('bench:replay needs GNU time at /usr/bin/time (apt-get install time)');
    process.exit(2);
  }
  const ref = releaseRef();
  const release = buildRelease(ref);
  const only = process.env.REPLAY_ONLY?.split(',').filter(Boolean);
  const traces = readdirSync(SHARED_TRACES).filter((t) => existsSync(join(SHARED_TRACES, t, 'trace.csv')) && (!only || only.includes(t)));
  const lines = [
    `Release ${ref} (${git('rev-parse', '--short', ref)}) against this commit (${git('rev-parse', '--short', 'HEAD')}), ${RUNS} runs each, alternating; medians.`,
    '',
    '| trace | minutes | release wall s | now wall s | × | release CPU s | now CPU s | × | release peak RSS MB | now peak RSS MB | replicas.csv |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const trace of traces) {
    const old: Run[] = [];
    const now: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      old.push(runOnce(release, trace));
      now.push(runOnce(BUILT_CLI, trace));
      console.error(`${trace} run ${i + 1}/${RUNS}: release ${old[i].wall.toFixed(1)} s, now ${now[i].wall.toFixed(1)} s`);
    }
    const m = (rs: Run[], k: 'wall' | 'cpu' | 'rssMb') => median(rs.map((r) => r[k]));
    const minutes =
      readFileSync(join(SHARED_TRACES, trace, 'trace.csv'), 'utf8')
        .trim()
        .split('\n').length - 1;
    const same = old.every((r) => r.sha === now[0].sha) && now.every((r) => r.sha === now[0].sha);
    lines.push(
      `| ${trace} | ${minutes.toLocaleString('en-US')} | ${m(old, 'wall').toFixed(2)} | ${m(now, 'wall').toFixed(2)} | ${(m(old, 'wall') / m(now, 'wall')).toFixed(1)} | ${m(old, 'cpu').toFixed(2)} | ${m(now, 'cpu').toFixed(2)} | ${(m(old, 'cpu') / m(now, 'cpu')).toFixed(1)} | ${m(old, 'rssMb').toFixed(0)} | ${m(now, 'rssMb').toFixed(0)} | ${same ? 'identical' : `DIFFERENT (${old[0].sha.slice(0, 12)} vs ${now[0].sha.slice(0, 12)})`} |`,
    );
  }
  console.log(lines.join('\n'));
}

main();
