/**
 * Kubernetes API failures as one error type that says what to fix: 403 names the RBAC verb and resource
 * the ServiceAccount lacks, 404 the object that is missing, 409 is marked retryable (re-read, retry).
 */

export interface KubeOperation {
  verb: 'get' | 'list' | 'create' | 'update' | 'patch';
  /** Plural resource with its group, as RBAC writes it: "deployments/scale", "horizontalpodautoscalers". */
  resource: string;
  group: string;
  namespace: string;
  name?: string;
}

export class KubeApiError extends Error {
  constructor(
    readonly status: number,
    readonly op: KubeOperation,
    message: string,
    /** The server's Retry-After, in seconds, when it sent one (429 throttling; some 5xx). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  get conflict(): boolean {
    return this.status === 409;
  }
}

/** Builds the error for a failed call; `detail` is the server's message when it sent one, `retryAfterSeconds` its Retry-After. */
export function kubeError(status: number, op: KubeOperation, detail?: string, retryAfterSeconds?: number): KubeApiError {
  const res = op.group ? `${op.resource}.${op.group}` : op.resource;
  const obj = op.name ? `${res} "${op.name}"` : res;
  const where = op.namespace ? `in namespace "${op.namespace}"` : 'cluster-wide';
  const tail = detail ? ` (server said: ${detail})` : '';
  switch (status) {
    case 403:
      return new KubeApiError(
        status,
        op,
        `forbidden: RBAC does not allow verb "${op.verb}" on ${res} ${where}; grant it in the agent's Role (agent/deploy/base/rbac.yaml)${tail}`,
      );
    case 404:
      return new KubeApiError(status, op, `not found: ${obj} ${where} does not exist (check the target's kubernetes.namespace/name)${tail}`);
    case 409:
      return new KubeApiError(status, op, `conflict: ${obj} ${where} changed while we wrote it (${op.verb})${tail}`);
    case 429: {
      const after = retryAfterSeconds === undefined ? 'no Retry-After' : `Retry-After ${retryAfterSeconds} s`;
      return new KubeApiError(
        status,
        op,
        `throttled: the API server answered 429 Too Many Requests to ${op.verb} ${obj} ${where} (${after}; API Priority and Fairness or --max-requests-inflight)${tail}`,
        retryAfterSeconds,
      );
    }
    case 401:
      return new KubeApiError(status, op, `unauthorized: the API server rejected the agent's credentials for ${op.verb} ${obj} ${where}${tail}`);
    default:
      return new KubeApiError(status, op, `${op.verb} ${obj} ${where} failed with HTTP ${status}${tail}`, retryAfterSeconds);
  }
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 409;
}

/**
 * A Retry-After header in seconds: delta-seconds, or an HTTP-date measured from `nowMs` (RFC 9110 §10.2.3).
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  const h = header?.trim();
  if (!h) return undefined;
  if (/^\d+$/.test(h)) return Number(h);
  const at = Date.parse(h);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubeApiError && err.status === 404;
}

/** Runs `attempt` (which re-reads what it needs) again after a 409, up to `tries` times in all. */
export async function retryOnConflict<T>(attempt: () => Promise<T>, tries = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isConflict(err) || i >= tries) throw err;
    }
  }
}
