/**
 * Local capture servers for the sink tests: real HTTP(S) servers on 127.0.0.1 (ephemeral ports) that
 * record every request (gzip bodies decoded) and answer what the test scripts. The PagerDuty stand-in
 * must speak HTTPS (pdjs only builds https:// URLs), so it gets a self-signed certificate made at test time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, inflateSync } from 'node:zlib';

export interface CapturedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as sent on the wire (still compressed when it was). */
  rawBody: Buffer;
  /** The decoded body text. */
  body: string;
  /** What the stand-in answered. */
  status: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type Responder = (req: CapturedRequest) => Reply;

export interface CaptureServer {
  url: string;
  /** host:port (PagerDuty's `server`). */
  hostPort: string;
  requests: CapturedRequest[];
  /** Requests the stand-in accepted (2xx). */
  accepted(): CapturedRequest[];
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** A self-signed certificate for 127.0.0.1, made with openssl. */
export function selfSignedCert(): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), 'wedsync-sink-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch (err) {
    throw new Error(`openssl could not make a test certificate (${(err as Error).message}); install it with: apt-get install -y openssl`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function decode(raw: Buffer, encoding: string | undefined): string {
  if (encoding === 'gzip') return gunzipSync(raw).toString('utf8');
  if (encoding === 'deflate') return inflateSync(raw).toString('utf8');
  return raw.toString('utf8');
}

export async function startCaptureServer(opts: { tls?: TlsMaterial; respond?: Responder } = {}): Promise<CaptureServer> {
  let responder: Responder = opts.respond ?? (() => ({ status: 202, body: '{}' }));
  const requests: CapturedRequest[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const captured: CapturedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        body: decode(rawBody, req.headers['content-encoding']),
        status: 0,
      };
      const reply = responder(captured);
      captured.status = reply.status;
      requests.push(captured);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body ?? '{}');
    });
  };
  const server: Server = opts.tls ? createHttpsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    requests,
    accepted: () => requests.filter((r) => r.status >= 200 && r.status < 300),
    respond: (r) => {
      responder = r;
    },
    close: () => closeServer(server),
  };
}

import { parseConfig } from '../agent/src/app/config-load';
import type { SinkConfig } from '../agent/src/app/config-schema';
import type { QueuedSink } from '../agent/src/sinks/queued-sink';
import { closeServer } from '../agent/src/api/listen';

/** Sink configs through the real loader: secrets as `${ENV}` references, schema defaults applied. */
export function loadSinkConfigs(sinks: unknown[], env: Record<string, string>): SinkConfig[] {
  const text = JSON.stringify({
    sources: { sim: { type: 'simulator' } },
    targets: [{ id: 't', kubernetes: { namespace: 'n', name: 't' }, load: { source: 'sim', query: 'x' }, capacityPerPod: 1, maxReplicas: 2 }],
    sinks,
  });
  return parseConfig(text, 'sinks-test.yaml', env).sinks;
}

/** Waits (real event-loop turns, no fake time) until the sinks have no request in flight. */
export async function quiet(...sinks: Array<Pick<QueuedSink<unknown>, 'settled'>>): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(sinks.map((s) => s.settled()));
  }
}
