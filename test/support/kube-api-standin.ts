/**
 * A stand-in for the Kubernetes API server (plain HTTP on 127.0.0.1, ephemeral port) for testing the
 * real @kubernetes/client-node against. It keeps objects by URL path, answers GET/LIST/POST/PUT and
 * JSON merge-patch PATCH with resourceVersion checks (stale → 409) like the real server, records every
 * request (verb, path, content type, body), and can be told to answer the next matching request with
 * an error status (403, 404, 409, 500…).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  body: any;
}

interface Fault {
  method: string;
  path: RegExp;
  status: number;
  times: number;
}

export class KubeApiStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly objects = new Map<string, any>();
  private readonly faults: Fault[] = [];
  private server: Server | null = null;
  private version = 100;
  private nameSeq = 0;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Stores an object at its API path, filling in resourceVersion. */
  put(path: string, obj: any): any {
    const stored = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.version++) } };
    this.objects.set(path, stored);
    return stored;
  }

  get(path: string): any {
    return this.objects.get(path);
  }

  /** The next `times` requests with this verb and a matching path get `status`. */
  /** What a SelfSubjectAccessReview answers for "verb resource" (e.g. "list nodes"); unset: allowed. */
  readonly access = new Map<string, boolean>();

  failNext(method: string, path: RegExp, status: number, times = 1): void {
    this.faults.push({ method, path, status, times });
  }

  /** Forgets every injected fault (the API answers normally again). */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Kubeconfig options for KubeConfig.loadFromOptions (RECIPES.md: plain http needs skipTLSVerify). */
  kubeConfigOptions(): object {
    return {
      clusters: [{ name: 'standin', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'agent', token: 'standin-token' }],
      contexts: [{ name: 'standin', cluster: 'standin', user: 'agent' }],
      currentContext: 'standin',
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    let body: any = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    this.requests.push({ method, path, contentType: req.headers['content-type'], body });

    const fault = this.faults.find((f) => f.method === method && f.path.test(path));
    if (fault) {
      if (--fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
      return status(res, fault.status, `injected ${fault.status} for ${method} ${path}`);
    }
    const [, name] = /\/([^/]+)$/.exec(path) ?? [];
    // SelfSubjectAccessReview: what RBAC would answer, per "verb resource" (default: allowed).
    if (method === 'POST' && path === '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews') {
      const attrs = body?.spec?.resourceAttributes ?? {};
      const allowed = this.access.get(`${attrs.verb} ${attrs.resource}`) ?? true;
      return json(res, 201, { ...body, status: { allowed, ...(allowed ? {} : { reason: 'stand-in: denied' }) } });
    }
    switch (method) {
      case 'GET': {
        if (this.objects.has(path)) return json(res, 200, this.objects.get(path));
        const items = [...this.objects.entries()].filter(([p]) => p.startsWith(path + '/') && !p.slice(path.length + 1).includes('/')).map(([, o]) => o);
        if (items.length || /s$/.test(path))
          return json(res, 200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: String(this.version) }, items });
        return status(res, 404, `${name} not found`);
      }
      case 'POST': {
        const objName = body?.metadata?.name ?? `${body?.metadata?.generateName ?? 'obj-'}${(++this.nameSeq).toString(36)}`;
        const target = `${path}/${objName}`;
        if (this.objects.has(target)) return status(res, 409, `${objName} already exists`);
        return json(res, 201, this.put(target, { ...body, metadata: { ...body.metadata, name: objName } }));
      }
      case 'PUT': {
        const cur = this.objects.get(path);
        if (!cur) return status(res, 404, `${name} not found`);
        if (body?.metadata?.resourceVersion !== cur.metadata.resourceVersion)
          return status(res, 409, 'the object has been modified; please apply your changes to the latest version and try again');
        return json(res, 200, this.put(path, body));
      }
      case 'PATCH': {
        if (req.headers['content-type'] !== 'application/merge-patch+json') return status(res, 415, `unsupported patch type ${req.headers['content-type']}`);
        const isScale = path.endsWith('/scale');
        const objPath = isScale ? path.slice(0, -'/scale'.length) : path;
        const cur = this.objects.get(objPath);
        if (!cur) return status(res, 404, `${name} not found`);
        const rv = body?.metadata?.resourceVersion;
        if (rv !== undefined && rv !== cur.metadata.resourceVersion)
          return status(res, 409, 'the object has been modified; please apply your changes to the latest version and try again');
        if (isScale) {
          const next = this.put(objPath, { ...cur, spec: { ...cur.spec, replicas: body.spec.replicas } });
          return json(res, 200, {
            kind: 'Scale',
            apiVersion: 'autoscaling/v1',
            metadata: { name: cur.metadata.name, namespace: cur.metadata.namespace },
            spec: { replicas: next.spec.replicas },
          });
        }
        const { metadata, ...rest } = mergePatch(cur, body);
        return json(res, 200, this.put(objPath, { ...rest, metadata: { ...metadata, resourceVersion: cur.metadata.resourceVersion } }));
      }
      default:
        return status(res, 405, `${method} not supported by the stand-in`);
    }
  }
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function status(res: ServerResponse, code: number, message: string): void {
  const reason = { 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 415: 'UnsupportedMediaType' }[code] ?? 'InternalError';
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}
