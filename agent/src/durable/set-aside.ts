/**
 * An unreadable stored document (not JSON, not an object, or larger than the backend reads) is never
 * silently replaced: the store asks the backend to keep it aside under a timestamped name (a file beside
 * the state file, or a ConfigMap beside the state ConfigMap) and only then starts a new document, which
 * records where the old one went (`setAside`). The record is kept for SET_ASIDE_NOTICE_MS: while it is
 * there, /readyz and `wedsync_agent_state_set_aside` say so (WedSyncStateSetAside fires), and the calendar
 * store holds an empty calendar instead of applying it (its memory of the calendar in force went with the
 * old document).
 */
export const SET_ASIDE_NOTICE_MS = 86_400_000;

/** `20261207T003000Z`: sorts by time, and is valid in file names and Kubernetes object names (lower-cased). */
export function setAsideStamp(atMs: number): string {
  return new Date(atMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
