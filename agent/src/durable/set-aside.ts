/**
 * An unreadable stored document (not JSON, not an object, or larger than the backend reads) is never
 * silently replaced: the store asks the backend to keep it aside under a timestamped name (a file beside
 * the state file, or a ConfigMap beside the state ConfigMap) and only then starts a new document, which
 * records where the old one went (`setAside`). The record is kept for SET_ASIDE_NOTICE_MS: while it is
 * there, /readyz and `wedsync_agent_state_set_aside` say so (WedSyncStateSetAside fires), and the calendar
 * store holds an empty calendar instead of applying it (its memory of the calendar in force went with the
 * old document).
 */
import { randomUUID } from 'node:crypto';
import type { StateBackend } from '../contracts/state-backend';
import type { Logger } from '../util/logger';
import { decodeDocument, emptyDocument, type DurableDocument } from './durable-document';

export const SET_ASIDE_NOTICE_MS = 86_400_000;

/** `20261207T003000Z`: sorts by time, and is valid in file names and Kubernetes object names (lower-cased). */
export function setAsideStamp(atMs: number): string {
  return new Date(atMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/**
 * The stored document. One that cannot be read (not JSON, or too large to read) is kept aside by the
 * backend first, never overwritten: the new document starts empty and records where the old one went.
 */
export async function readStoredDocument(
  backend: StateBackend,
  now: number,
  logger: Logger,
): Promise<{ remote: DurableDocument; version: string | null; storedText: string | null }> {
  const stored = await backend.read();
  const decoded = decodeDocument(stored.text ?? undefined);
  if (decoded.dropped.length)
    logger.warn(
      { store: backend.description, dropped: decoded.dropped.slice(0, 10), count: decoded.dropped.length },
      'dropped malformed entries from the stored state',
    );
  const problem = stored.tooLargeBytes !== undefined ? `${stored.tooLargeBytes} bytes, larger than the agent reads` : decoded.unreadable;
  if (!problem) return { remote: decoded.doc, version: stored.version, storedText: stored.text };
  const { keptAt, nextVersion } = await backend.setAside(stored.version, now);
  const setAside = { atMs: now, keptAt, reason: problem };
  logger.error(
    { store: backend.description, setAside },
    `durable state: the stored state is unreadable (${problem}); kept aside at ${keptAt}, starting a new document`,
  );
  return { remote: { ...emptyDocument(), documentId: randomUUID(), setAside }, version: nextVersion, storedText: null };
}
