/**
 * The stand-ins bench:soak runs against, in the soak's own process, all on 127.0.0.1 ephemeral ports:
 *
 * - KubeFront: a recording, fault-injecting front for the Kubernetes API stand-in
 *   (test/support/kube-api-standin.ts, which the real @kubernetes/client-node talks to). It records every
 *   scale write (from → to replicas), marks a scaled Deployment ready at once (there is no controller), and
 *   during chaos answers the workload API with 500s or 409s. Leases are never faulted: leader election is
 *   exercised by the SIGKILL, not by injected conflicts.
 * - SinkStandIn: Datadog / New Relic intake (HTTP) and the PagerDuty Events API (HTTPS, pdjs only builds
 *   https:// URLs), each a server that can be taken down and brought back on the same port.
 * - LoadExporter: the /metrics a real Prometheus scrapes for each target's load (a slow wave per target,
 *   so the agent scales up and down on its own between faults).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** What the soak uses of test/support/kube-api-standin.ts (compiled beside this file; outside agent/'s rootDir). */
interface KubeApiStandIn {
  url: string;
  requests: unknown[];
  start(): Promise<string>;
  stop(): Promise<void>;
  put(path: string, obj: unknown): unknown;
  get(path: string): KubeObject | undefined;
}

/** The fields the soak reads of a stored Deployment or Lease. */
export interface KubeObject {
  spec?: { replicas?: number; holderIdentity?: string };
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The parts of a Datadog series, New Relic metrics and PagerDuty event bodies the stand-ins count. */
interface IntakeBody {
  series?: Array<{ points: unknown[] }>;
  event_action?: string;
  dedup_key?: string;
  payload?: { summary?: string };
}
// Compiled to agent/.tmp/bench-soak/agent/bench/: the stand-in is at .tmp/bench-soak/test/support/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { KubeApiStandIn } = require(join(__dirname, '../../test/support/kube-api-standin.js')) as { KubeApiStandIn: new () => KubeApiStandIn };

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export interface ScaleWrite {
  atMs: number;
  target: string;
  from: number;
  to: number;
  /** What the front answered (the stand-in's status, or the injected fault). */
  status: number;
}

export type KubeChaos = 'none' | '409' | '500';

export class KubeFront {
  readonly api = new KubeApiStandIn();
  readonly scaleWrites: ScaleWrite[] = [];
  readonly injected = { 409: 0, 500: 0 };
  chaos: KubeChaos = 'none';
  requests = 0;
  url = '';
  private readonly server = createHttpServer((req, res) => void this.handle(req, res));

  async start(): Promise<string> {
    await this.api.start();
    this.url = `http://127.0.0.1:${await listen(this.server)}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await close(this.server);
    await this.api.stop();
  }

  /** Who holds the Lease at `path` now (null when nobody, or no Lease yet). */
  holder(path: string): string | null {
    return this.api.get(path)?.spec?.holderIdentity ?? null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requests++;
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // The stand-in keeps every request; the soak only needs the scale writes recorded here.
    if (this.api.requests.length > 1000) this.api.requests.length = 0;
    const scale = method === 'PATCH' ? /\/deployments\/([^/]+)\/scale$/.exec(path) : null;
    const workloadPath = scale ? path.slice(0, -'/scale'.length) : '';
    const from: number = scale ? (this.api.get(workloadPath)?.spec?.replicas ?? NaN) : NaN;
    const to: number = scale ? Number((JSON.parse(body.toString('utf8') || '{}') as KubeObject).spec?.replicas) : NaN;

    const fault = this.faultFor(method, path);
    let status: number;
    if (fault) {
      this.injected[fault]++;
      status = fault;
      const reason = fault === 409 ? 'Conflict' : 'InternalError';
      res.writeHead(fault, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `soak chaos: ${fault} for ${method} ${path}`,
          reason,
          code: fault,
        }),
      );
    } else {
      const headers: Record<string, string> = {};
      if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
      const answer = await fetch(this.api.url + (req.url ?? '/'), { method, headers, body: body.length ? body : undefined });
      status = answer.status;
      const text = await answer.text();
      res.writeHead(status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
      if (scale && status < 300) {
        const obj = this.api.get(workloadPath)!;
        this.api.put(workloadPath, { ...obj, status: { ...obj.status, replicas: to, readyReplicas: to } });
      }
    }
    if (scale) this.scaleWrites.push({ atMs: Date.now(), target: scale[1], from, to, status });
  }

  /** 500: every workload/HPA/Event request fails. 409: every write (PATCH, POST) but Leases conflicts. */
  private faultFor(method: string, path: string): 409 | 500 | null {
    if (this.chaos === 'none' || path.includes('/leases')) return null;
    if (this.chaos === '500') return 500;
    return method === 'PATCH' || method === 'POST' ? 409 : null;
  }
}

export interface PageRecord {
  atMs: number;
  action: string;
  dedupKey: string;
  summary: string;
}

/** A metrics or events intake: counts what it accepted; PagerDuty events are kept whole. */
export class SinkStandIn {
  samples = 0;
  requests = 0;
  lastAcceptedMs = 0;
  readonly pages: PageRecord[] = [];
  port = 0;
  up = false;
  private readonly server: Server;

  constructor(
    readonly kind: 'datadog' | 'newrelic' | 'pagerduty',
    tls?: { key: string; cert: string },
  ) {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
    this.server.keepAliveTimeout = 60_000;
  }

  /** Listens (again) — on the same port after the first time, so the agent's configured URL still works. */
  async start(): Promise<number> {
    this.port = await listen(this.server, this.port);
    this.up = true;
    return this.port;
  }

  async stop(): Promise<void> {
    this.up = false;
    await close(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = await readBody(req);
    if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
    const parsed = JSON.parse(raw.toString('utf8') || 'null') as IntakeBody | Array<{ metrics: unknown[] }> | null;
    const body: IntakeBody = parsed && !Array.isArray(parsed) ? parsed : {};
    this.requests++;
    this.lastAcceptedMs = Date.now();
    if (this.kind === 'datadog') this.samples += (body.series ?? []).reduce((n, s) => n + s.points.length, 0);
    else if (this.kind === 'newrelic') this.samples += (Array.isArray(parsed) ? parsed : []).reduce((n, p) => n + p.metrics.length, 0);
    else {
      this.samples++;
      this.pages.push({ atMs: Date.now(), action: String(body.event_action), dedupKey: String(body.dedup_key), summary: body.payload?.summary ?? '' });
    }
    const answer = this.kind === 'pagerduty' ? { status: 'success', message: 'Event processed', dedup_key: body.dedup_key } : { status: 'success', errors: [] };
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  }
}

/** Each target's load in requests/second, as a Prometheus gauge: a 12-minute wave around its own base. */
export class LoadExporter {
  url = '';
  private readonly server = createHttpServer((_req, res) => {
    const t = Date.now() / 1000;
    const lines = ['# TYPE soak_load_rps gauge'];
    for (let i = 0; i < this.targets; i++) lines.push(`soak_load_rps{target="svc-${i}"} ${loadAt(i, t).toFixed(2)}`);
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(lines.join('\n') + '\n');
  });

  constructor(private readonly targets: number) {}

  async start(): Promise<string> {
    this.url = `127.0.0.1:${await listen(this.server)}`;
    return this.url;
  }

  stop(): Promise<void> {
    return close(this.server);
  }
}

/** 150–390 rps base, ±50 % over 12 minutes, each target at its own phase. */
export function loadAt(i: number, tSeconds: number): number {
  const base = 150 + ((i * 37) % 240);
  return base * (1 + 0.5 * Math.sin((2 * Math.PI * tSeconds) / 720 + i));
}
