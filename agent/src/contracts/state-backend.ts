/**
 * Where the durable document is kept: a ConfigMap the agent owns (configmap-backend.ts) or a file
 * (file-backend.ts). Both give optimistic concurrency: `write` with the version `read` returned fails
 * with a StateConflictError when someone wrote in between, and the store re-reads and merges again.
 */

export interface StoredState {
  /** The document's text, or null when nothing has been stored yet. */
  text: string | null;
  /** Opaque version for the next write (null: create). */
  version: string | null;
  /** Set when the stored document is too large to read (its size in bytes): `text` is null but something is stored. */
  tooLargeBytes?: number;
}

export interface SetAsideResult {
  keptAt: string;
  nextVersion: string | null;
}

export interface StateBackend {
  /** For logs: "ConfigMap wedsync/wedsync-agent-state", "file /var/lib/wedsync/state.json". */
  readonly description: string;
  read(): Promise<StoredState>;
  /** Writes `text` if the stored version is still `version`; throws StateConflictError otherwise. */
  write(text: string, version: string | null): Promise<void>;
  /**
   * Keeps the stored document (unreadable) under a timestamped name and removes it from where the next
   * write goes, if it is still at `version` (else StateConflictError). Returns where it was kept and the
   * version the next write must give.
   */
  setAside(version: string | null, atMs: number): Promise<SetAsideResult>;
}

export class StateConflictError extends Error {
  constructor(what: string) {
    super(`${what} changed while we wrote it`);
    this.name = 'StateConflictError';
  }
}
