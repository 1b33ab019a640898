// A minimal HTTPS client for the control plane's own start-up (readiness checks, the kwok Node objects):
// the cluster script needs no npm package, so it runs before `npm ci` finishes or outside the repository.
import { request } from 'node:https';

/**
 * One request to the API server (or a component's health endpoint).
 * @param {{ server: string, token?: string, ca?: string, insecure?: boolean }} target
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, contentType?: string, timeoutMs?: number }} [options]
 * @returns {Promise<{ status: number, body: string }>}
 */
export function call(target, method, path, options = {}) {
  const url = new URL(path, target.server);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: target.ca,
        rejectUnauthorized: !target.insecure,
        headers: {
          accept: 'application/json',
          ...(target.token ? { authorization: `Bearer ${target.token}` } : {}),
          ...(payload ? { 'content-type': options.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.href} timed out`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Server-side apply of one object (JSON is YAML) as `fieldManager`. */
export async function apply(target, path, object, fieldManager = 'wedsync-cluster') {
  const res = await call(target, 'PATCH', `${path}?fieldManager=${fieldManager}&force=true`, {
    body: object,
    contentType: 'application/apply-patch+yaml',
  });
  if (res.status >= 300) throw new Error(`apply ${path}: HTTP ${res.status} ${res.body.slice(0, 500)}`);
  return JSON.parse(res.body);
}

/**
 * Polls `check` until it returns a value other than undefined; a throw counts as "not yet", unless the
 * error has `fatal: true` (the process being waited for has exited).
 * @template T
 * @param {string} what what is awaited, for the timeout message
 * @param {() => Promise<T | undefined>} check
 * @param {number} timeoutMs
 * @param {() => string} [explain] more context for the timeout message (a log tail)
 * @returns {Promise<T>}
 */
export async function waitFor(what, check, timeoutMs, explain) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      if (err?.fatal) throw err;
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${last})` : ''}${explain ? `\n${explain()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
