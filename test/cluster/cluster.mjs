#!/usr/bin/env node
// A real Kubernetes control plane on 127.0.0.1, built from source (build.sh) and run as plain processes:
// etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok (nodes and pods without kubelets).
//
//   npm run cluster -- up     [--dir DIR] [--json] [--owner-pid PID]  start what is not running; print the kubeconfig path
//   npm run cluster -- down   [--dir DIR] [--only COMPONENT] [--purge] stop what `up` started (--purge: and delete DIR)
//   npm run cluster -- env    [--dir DIR]                             shell exports (KUBECONFIG, ...)
//   npm run cluster -- status [--dir DIR]                             which components run, as JSON
//
// DIR (default $WEDSYNC_CLUSTER_DIR, else .tmp/cluster/default) holds everything of one cluster: ports,
// keys, tokens, kubeconfigs, etcd's data, logs and pid files. Several clusters run side by side in
// different DIRs, each on free ports. `up` and `down` on one DIR are serialised by an flock on DIR.lock.
// With --owner-pid, a watchdog tears the cluster down (and deletes DIR) when that process exits: a test
// run killed half-way leaves no control plane behind.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apply, waitFor } from './lib/api.mjs';
import { COMPONENTS, nodeObjects } from './lib/components.mjs';
import { logTail, processGone, runningPid, startProcess, stopProcess } from './lib/processes.mjs';
import { prepareState } from './lib/state.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const WATCHDOG = 'watchdog';
/** Seconds each component may take to become ready (a loaded 2-core machine is slow to start an API server). */
const READY_TIMEOUT_S = { etcd: 60, 'kube-apiserver': 240, 'kube-controller-manager': 120, 'kube-scheduler': 60, kwok: 90 };

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = { command, dir: process.env.WEDSYNC_CLUSTER_DIR || join(repoRoot, '.tmp', 'cluster', 'default'), json: false, purge: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) fail(`${arg} needs a value`);
      return rest[++i];
    };
    if (arg === '--dir') opts.dir = value();
    else if (arg === '--json') opts.json = true;
    else if (arg === '--purge') opts.purge = true;
    else if (arg === '--only') opts.only = value();
    else if (arg === '--owner-pid') opts.ownerPid = Number(value());
    else if (arg === '--pid') opts.pid = Number(value());
    else fail(`unknown option ${arg}`);
  }
  opts.dir = resolve(opts.dir);
  return opts;
}

function fail(message) {
  console.error(`cluster: ${message}`);
  console.error('usage: npm run cluster -- up|down|env|status [--dir DIR] [--json] [--owner-pid PID] [--only COMPONENT] [--purge]');
  process.exit(2);
}

/** The tools `up` runs (build.sh builds others too, for tests: CRDs, Helm, ...). */
const CLUSTER_TOOLS = ['etcd', 'kubernetes', 'kwok'];

/** Builds (or finds in the cache) the cluster's binaries; "name path" lines from build.sh. */
function binaries() {
  const res = spawnSync('bash', [join(here, 'build.sh'), ...CLUSTER_TOOLS], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (res.status !== 0) {
    console.error('cluster: building the control plane failed (see above). Run it alone with: bash test/cluster/build.sh');
    process.exit(1);
  }
  return Object.fromEntries(
    res.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ')),
  );
}

async function up(opts) {
  const startedAt = Date.now();
  const bins = binaries();
  const state = await prepareState(opts.dir);
  const started = [];
  for (const component of COMPONENTS) {
    if (runningPid(opts.dir, component.name) === undefined) {
      startProcess(opts.dir, component.name, bins[component.binary], component.args(state, bins));
      started.push(component.name);
    }
    await waitFor(
      `${component.name} to be ready`,
      async () => {
        if (processGone(opts.dir, component.name)) {
          throw Object.assign(new Error(`${component.name} exited\n${logTail(opts.dir, component.name)}`), { fatal: true });
        }
        return (await component.ready(state)) ? true : undefined;
      },
      READY_TIMEOUT_S[component.name] * 1000,
      () => logTail(opts.dir, component.name),
    );
    if (component.name === 'kube-apiserver') {
      const target = { server: state.server, token: state.tokens.admin, ca: readFileSync(state.ca, 'utf8') };
      for (const node of nodeObjects()) await apply(target, `/api/v1/nodes/${node.metadata.name}`, node);
    }
    console.error(`cluster: ${component.name} ready (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
  }
  if (opts.ownerPid && runningPid(opts.dir, WATCHDOG) === undefined) {
    startProcess(opts.dir, WATCHDOG, process.execPath, [fileURLToPath(import.meta.url), 'watch', '--dir', opts.dir, '--pid', String(opts.ownerPid)]);
  }
  const seconds = (Date.now() - startedAt) / 1000;
  console.error(
    `cluster: up in ${seconds.toFixed(1)} s${started.length ? ` (started ${started.join(', ')})` : ' (all already running)'}; state in ${opts.dir}`,
  );
  const result = { dir: opts.dir, kubeconfig: state.kubeconfigs.admin, server: state.server, ca: state.ca, token: state.tokens.admin, started, seconds };
  console.log(opts.json ? JSON.stringify(result) : result.kubeconfig);
}

async function down(opts) {
  const names = opts.only ? [opts.only] : [WATCHDOG, ...COMPONENTS.map((c) => c.name).reverse()];
  if (opts.only && !COMPONENTS.some((c) => c.name === opts.only)) fail(`unknown component ${opts.only}`);
  for (const name of names) {
    // The watchdog's own teardown must not signal the watchdog.
    if (name === WATCHDOG && process.env.WEDSYNC_CLUSTER_FROM_WATCHDOG) continue;
    const pid = await stopProcess(opts.dir, name);
    if (pid !== undefined) console.error(`cluster: stopped ${name} (pid ${pid})`);
  }
  if (opts.purge && !opts.only) rmSync(opts.dir, { recursive: true, force: true });
}

function status(opts) {
  const components = Object.fromEntries([...COMPONENTS.map((c) => c.name), WATCHDOG].map((name) => [name, runningPid(opts.dir, name) ?? null]));
  console.log(JSON.stringify({ dir: opts.dir, exists: existsSync(opts.dir), components }, null, 2));
}

function env(opts) {
  const file = join(opts.dir, 'state.json');
  if (!existsSync(file)) fail(`no cluster in ${opts.dir}: run \`npm run cluster -- up\` first`);
  const state = JSON.parse(readFileSync(file, 'utf8'));
  console.log(`export KUBECONFIG=${state.kubeconfigs.admin}`);
  console.log(`export WEDSYNC_CLUSTER_DIR=${opts.dir}`);
  console.log(`export WEDSYNC_CLUSTER_SERVER=${state.server}`);
}

/** The watchdog: tears the cluster down once the owner process is gone. */
async function watch(opts) {
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  while (alive(opts.pid) && existsSync(opts.dir)) await new Promise((r) => setTimeout(r, 2000));
  process.env.WEDSYNC_CLUSTER_FROM_WATCHDOG = '1';
  if (existsSync(opts.dir)) await locked(['down', '--dir', opts.dir, '--purge']);
}

/** Runs this script again under `flock -o DIR.lock` (-o: the components it starts do not inherit the lock). */
function locked(args) {
  return new Promise((res) => {
    const lock = `${resolve(parseArgs(args).dir)}.lock`;
    mkdirSync(dirname(lock), { recursive: true });
    const child = spawn('flock', ['-o', lock, process.execPath, fileURLToPath(import.meta.url), ...args], {
      stdio: 'inherit',
      env: { ...process.env, WEDSYNC_CLUSTER_LOCKED: lock },
    });
    child.on('exit', (code) => res(code ?? 1));
  });
}

const opts = parseArgs(process.argv.slice(2));
const commands = { up, down, status, env, watch };
if (!commands[opts.command]) fail(`unknown command ${opts.command ?? '(none)'}`);
if ((opts.command === 'up' || opts.command === 'down') && !process.env.WEDSYNC_CLUSTER_LOCKED) {
  process.exit(await locked(process.argv.slice(2)));
}
try {
  await commands[opts.command](opts);
} catch (err) {
  console.error(`cluster: ${opts.command} failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
