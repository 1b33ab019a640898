/**
 * A small client for the real API server in tests: raw requests (so a test sees the real status codes,
 * 403 and 409 included), server-side apply of any object through API discovery (Debian's kubectl is 1.20,
 * too old to trust against a 1.37 server), and polling for a condition.
 */
import { request } from 'node:https';

export interface KubeResponse {
  status: number;
  // Parsed JSON when the server sent JSON, else the text.
  body: any;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

interface ResourceInfo {
  name: string;
  namespaced: boolean;
}

export class KubeClient {
  private readonly discovery = new Map<string, Map<string, ResourceInfo>>();

  constructor(
    readonly server: string,
    private readonly ca: string,
    readonly token: string,
  ) {}

  /** The same server and CA with another bearer token (a ServiceAccount's). */
  as(token: string): KubeClient {
    return new KubeClient(this.server, this.ca, token);
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.server),
        {
          method,
          ca: this.ca,
          headers: {
            accept: 'application/json',
            authorization: `Bearer ${this.token}`,
            ...(payload !== undefined ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json')) parsed = JSON.parse(text);
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** A request that must answer `status`; anything else throws with the server's message. */
  async expect(status: number, method: string, path: string, body?: unknown, contentType?: string): Promise<KubeResponse> {
    const res = await this.request(method, path, body, contentType);
    if (res.status !== status) {
      const message = typeof res.body === 'object' && res.body ? (res.body.message ?? JSON.stringify(res.body)) : String(res.body);
      throw new Error(`${method} ${path}: expected HTTP ${status}, got ${res.status}: ${message}`);
    }
    return res;
  }

  async get(path: string): Promise<any> {
    return (await this.expect(200, 'GET', path)).body;
  }

  /** The REST path of an object (collection path when `name` is false), found through API discovery. */
  async pathOf(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>, withName = true): Promise<string> {
    const resources = await this.resources(obj.apiVersion);
    let info = resources.get(obj.kind);
    if (!info) {
      // A CRD applied a moment ago: discover again once.
      this.discovery.delete(obj.apiVersion);
      info = (await this.resources(obj.apiVersion)).get(obj.kind);
    }
    if (!info) throw new Error(`the server does not serve kind ${obj.kind} in ${obj.apiVersion}`);
    const prefix = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
    const ns = info.namespaced ? `/namespaces/${obj.metadata.namespace ?? 'default'}` : '';
    return `${prefix}${ns}/${info.name}${withName ? `/${obj.metadata.name}` : ''}`;
  }

  /**
   * Server-side apply, as `kubectl apply --server-side` does (one PATCH of type apply-patch per object).
   * With `dryRun`, the server validates and admits each object without storing it. Returns each response;
   * throws on the first refusal unless `tolerate` is set.
   */
  async apply(objects: KubeObject[], opts: { dryRun?: boolean; fieldManager?: string; tolerate?: boolean } = {}): Promise<KubeResponse[]> {
    const out: KubeResponse[] = [];
    for (const obj of objects) {
      const query = `?fieldManager=${opts.fieldManager ?? 'wedsync-test'}&force=true${opts.dryRun ? '&dryRun=All' : ''}`;
      const res = await this.request('PATCH', (await this.pathOf(obj)) + query, obj, 'application/apply-patch+yaml');
      if (res.status >= 300 && !opts.tolerate) {
        throw new Error(
          `apply ${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}${opts.dryRun ? ' (dry run)' : ''}: HTTP ${res.status}: ${res.body?.message ?? JSON.stringify(res.body)}`,
        );
      }
      out.push(res);
    }
    return out;
  }

  private async resources(apiVersion: string): Promise<Map<string, ResourceInfo>> {
    let map = this.discovery.get(apiVersion);
    if (!map) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const res = await this.request('GET', path);
      map = new Map();
      if (res.status === 200) {
        for (const r of res.body.resources as Array<{ name: string; kind: string; namespaced: boolean }>) {
          if (!r.name.includes('/')) map.set(r.kind, { name: r.name, namespaced: r.namespaced });
        }
      }
      this.discovery.set(apiVersion, map);
    }
    return map;
  }
}

/** Polls `check` until it returns a value other than undefined (a throw counts as "not yet", unless it is marked `fatal`). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      if ((err as { fatal?: boolean }).fatal) throw err;
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
