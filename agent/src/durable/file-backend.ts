/**
 * The durable document in a file, for an agent without a cluster (kubernetes.connection "none"):
 * `<state.directory>/wedsync-agent-state.json`. A write goes to a temporary file in the same directory,
 * is flushed to disk and renamed over the old one, so a crash at any instant leaves either the old
 * document or the new one, never half of either. The version is the content's hash: a write refuses
 * to replace a document it has not read (another process sharing the directory) and merges again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StateConflictError, type StateBackend, type StoredState } from '../contracts/state-backend';

export const STATE_FILE_NAME = 'wedsync-agent-state.json';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

export class FileStateBackend implements StateBackend {
  readonly description: string;
  readonly path: string;

  constructor(private readonly directory: string) {
    this.path = join(directory, STATE_FILE_NAME);
    this.description = `file ${this.path}`;
  }

  async read(): Promise<StoredState> {
    try {
      const text = await readFile(this.path, 'utf8');
      return { text, version: hash(text) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { text: null, version: null };
      throw err;
    }
  }

  async write(text: string, version: string | null): Promise<void> {
    if ((await this.read()).version !== version) throw new StateConflictError(this.description);
    await mkdir(this.directory, { recursive: true });
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
  }
}
