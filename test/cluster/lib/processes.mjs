// Detached component processes, each remembered by a pid file in the state directory. A pid counts as
// "ours" only while /proc/<pid>/cmdline still names the binary we started, so `down` never signals a
// process that merely reused the number.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';

const pidFile = (dir, name) => join(dir, 'pids', `${name}.pid`);
export const logFile = (dir, name) => join(dir, 'logs', `${name}.log`);

/** The pid of a running component we started, or undefined. */
export function runningPid(dir, name) {
  const file = pidFile(dir, name);
  if (!existsSync(file)) return undefined;
  const { pid, binary } = JSON.parse(readFileSync(file, 'utf8'));
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const zombie = / Z /.test(stat.slice(stat.lastIndexOf(')')));
    if (cmdline[0] === binary && !zombie) return pid;
  } catch {
    // no such process
  }
  return undefined;
}

/**
 * Whether the component started last has ended: its pid is gone or a zombie. Used while waiting for a
 * component just started, where a pid-reuse check by cmdline is not needed and once read a live kwok as
 * gone (a run of bench:real-hpa failed with "kwok exited" while kwok ran on).
 */
export function processGone(dir, name) {
  const file = pidFile(dir, name);
  if (!existsSync(file)) return true;
  const { pid } = JSON.parse(readFileSync(file, 'utf8'));
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return / Z /.test(stat.slice(stat.lastIndexOf(')')));
  } catch {
    return true;
  }
}

/** Starts a component detached from this process (it outlives `up`), logging to logs/<name>.log. */
export function startProcess(dir, name, binary, args) {
  mkdirSync(join(dir, 'pids'), { recursive: true });
  const log = openSync(logFile(dir, name), 'a');
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  writeFileSync(pidFile(dir, name), JSON.stringify({ pid: child.pid, binary, args, startedAt: new Date().toISOString() }));
  return child.pid;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(dir, name, graceMs = 10_000) {
  const pid = runningPid(dir, name);
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (runningPid(dir, name) !== undefined) {
      if (Date.now() > deadline) {
        process.kill(pid, 'SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    while (runningPid(dir, name) !== undefined) await new Promise((r) => setTimeout(r, 100));
  }
  rmSync(pidFile(dir, name), { force: true });
  return pid;
}

/** The last lines of a component's log, for an error message. */
export function logTail(dir, name, lines = 15) {
  try {
    const text = readFileSync(logFile(dir, name), 'utf8').trimEnd().split('\n');
    return `--- last ${Math.min(lines, text.length)} lines of ${logFile(dir, name)} ---\n${text.slice(-lines).join('\n')}`;
  } catch {
    return `(no log at ${logFile(dir, name)})`;
  }
}
