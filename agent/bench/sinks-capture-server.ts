/**
 * Capture server for the sinks benchmark, run as a child process so decoding the requests does not
 * share the sink's event loop. Counts delivered samples per request shape: Datadog series points,
 * New Relic metrics, PagerDuty events. Talks to its parent over IPC: {port} when listening, {count} on ask.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

let count = 0;
let requests = 0;

function delivered(path: string, body: unknown): number {
  if (path.startsWith('/api/v2/series')) return (body as { series: Array<{ points: unknown[] }> }).series.reduce((n, s) => n + s.points.length, 0);
  if (path.startsWith('/metric/v1')) return (body as Array<{ metrics: unknown[] }>).reduce((n, p) => n + p.metrics.length, 0);
  if (path.startsWith('/v2/enqueue')) return 1;
  return 0;
}

function handler(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let raw = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
    count += delivered(req.url ?? '', JSON.parse(raw.toString('utf8')));
    requests++;
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end('{"status":"success","errors":[]}');
  });
}

const [key, cert] = [process.env.BENCH_TLS_KEY, process.env.BENCH_TLS_CERT];
const server = key && cert ? createHttpsServer({ key, cert }, handler) : createHttpServer(handler);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'count') process.send!({ count, requests });
  if (m.cmd === 'reset') {
    count = 0;
    requests = 0;
    process.send!({ count, requests });
  }
  if (m.cmd === 'exit') server.close(() => process.exit(0));
});
