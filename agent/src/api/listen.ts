/**
 * The agent's HTTP server: bound first, served later, with timeouts.
 *
 * - `listen` resolves only once the port is bound and rejects with a ListenError naming host:port
 *   (EADDRINUSE, EACCES…), so the agent fails start-up before it joins leader election or ticks.
 * - Until `serve(app)` is called, every request gets 503 "starting" (persisted overrides are not loaded
 *   yet, so the API must not take changes).
 * - Timeouts: a client that sends its headers or body slowly is cut off (408 / socket closed) instead of
 *   holding one of the few ingest slots for Node's default 300 s; idle keep-alive sockets close after 5 s.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServerTimeouts {
  /** Whole request (headers + body) must arrive within this. */
  requestTimeoutMs: number;
  /** Headers must arrive within this (≤ requestTimeoutMs). */
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** How often Node checks the two above (its default, 30 s, would let a 15 s limit run to 45 s). */
  checkIntervalMs: number;
}

/** An ingest body of api.maxIngestSamples (10,000 → ~640 kB) arrives well within 15 s even at 64 kB/s. */
export const SERVER_TIMEOUTS: ServerTimeouts = { requestTimeoutMs: 15_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, checkIntervalMs: 1_000 };

export class ListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string | undefined,
    cause: Error,
  ) {
    const why =
      code === 'EADDRINUSE' ? 'address already in use — another process (another agent?) holds it; free it or set agent.listen.port / --port' : cause.message;
    super(`cannot listen on ${host}:${port}: ${why}${code ? ` (${code})` : ''}`, { cause });
    this.name = 'ListenError';
  }
}

export interface BoundServer {
  server: Server;
  address: AddressInfo;
  /** From now on requests go to `handler`. */
  serve(handler: RequestListener): void;
  close(): Promise<void>;
}

export function listen(host: string, port: number, timeouts: ServerTimeouts = SERVER_TIMEOUTS): Promise<BoundServer> {
  let handler: RequestListener = (_req, res) => {
    res.writeHead(503, { 'Content-Type': 'application/json', 'Retry-After': '1' }).end('{"error":"starting"}');
  };
  const server = createServer(
    { requestTimeout: timeouts.requestTimeoutMs, headersTimeout: timeouts.headersTimeoutMs, connectionsCheckingInterval: timeouts.checkIntervalMs },
    (req, res) => handler(req, res),
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new ListenError(host, port, err.code, err));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve({
        server,
        address: server.address() as AddressInfo,
        serve: (h) => {
          handler = h;
        },
        close: () => closeServer(server),
      });
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Closes a server now: open keep-alive connections are cut rather than waited for. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((done) => {
    server.closeAllConnections();
    server.close(() => done());
  });
}
