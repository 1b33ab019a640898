/**
 * The durable document in a file, for an agent without a cluster (kubernetes.connection "none"):
 * `<state.directory>/wedsync-agent-state.json`. A write goes to a temporary file in the same directory,
 * is flushed to disk and renamed over the old one, so a crash at any instant leaves either the old
 * document or the new one, never half of either.
 *
 * Two agents may share the directory. A write is compare-and-swap on the version read (the content's
 * hash), and the compare and the swap happen under an inter-process lock (proper-lockfile: a lock
 * directory beside the file, refreshed while held, taken over when stale after a crash); without the lock
 * both agents could compare, then both rename, and the first one's changes would be lost.
 *
 * A file larger than MAX_STATE_FILE_BYTES is never read (this agent writes at most the document budget,
 * about 900 KiB): read() reports its size instead and the store sets it aside.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';
import { StateConflictError, type SetAsideResult, type StateBackend, type StoredState } from '../contracts/state-backend';
import { setAsideStamp } from './set-aside';

export const STATE_FILE_NAME = 'wedsync-agent-state.json';
/** Four times the document budget: anything larger was not written by an agent and is not read. */
export const MAX_STATE_FILE_BYTES = 4 * 1024 * 1024;
/** How long a write waits for the other agent's lock (its writes take milliseconds). */
const LOCK_RETRIES = { retries: 40, factor: 1.3, minTimeout: 10, maxTimeout: 250 };

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

export class FileStateBackend implements StateBackend {
  readonly description: string;
  readonly path: string;
  private readonly lockPath: string;

  constructor(
    private readonly directory: string,
    private readonly maxBytes = MAX_STATE_FILE_BYTES,
  ) {
    this.path = join(directory, STATE_FILE_NAME);
    this.lockPath = join(directory, `.${STATE_FILE_NAME}.lock`);
    this.description = `file ${this.path}`;
  }

  async read(): Promise<StoredState> {
    try {
      const { size, mtimeMs } = await stat(this.path);
      if (size > this.maxBytes) return { text: null, version: `oversized:${size}:${mtimeMs}`, tooLargeBytes: size };
      const text = await readFile(this.path, 'utf8');
      return { text, version: hash(text) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: null, version: null };
      throw err;
    }
  }

  async write(text: string, version: string | null): Promise<void> {
    await this.locked(async () => {
      if ((await this.read()).version !== version) throw new StateConflictError(this.description);
      const tmp = join(this.directory, `.${STATE_FILE_NAME}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        const fh = await open(tmp, 'w', 0o600);
        try {
          await fh.writeFile(text, 'utf8');
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, this.path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    });
  }

  async setAside(version: string | null, atMs: number): Promise<SetAsideResult> {
    return this.locked(async () => {
      if ((await this.read()).version !== version) throw new StateConflictError(this.description);
      const keptAt = `${this.path}.set-aside-${setAsideStamp(atMs)}`;
      await rename(this.path, keptAt);
      return { keptAt, nextVersion: null };
    });
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    await mkdir(this.directory, { recursive: true });
    // A directory that cannot be written (read-only filesystem: EROFS; permissions: EACCES) fails the write
    // at once, by name: the lock library would retry its mkdir past the store's timeout and hide the cause.
    await access(this.directory, constants.W_OK);
    let compromised: Error | null = null;
    const release = await lock(this.path, {
      lockfilePath: this.lockPath,
      realpath: false,
      stale: 10_000,
      retries: LOCK_RETRIES,
      // Default is to throw from a timer; a lost lock fails this write instead (the store retries next round).
      onCompromised: (err) => (compromised = err),
    });
    try {
      const out = await fn();
      if (compromised) throw new Error(`lost the lock on ${this.path} during the write: ${(compromised as Error).message}`);
      return out;
    } finally {
      await release().catch(() => undefined);
    }
  }
}
