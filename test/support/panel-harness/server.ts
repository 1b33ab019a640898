/**
 * The harness's web server on 127.0.0.1 (ephemeral port): the harness page and bundle, the BUILT plugin
 * under /plugin/ (as Grafana serves public/plugins/<id>/), @grafana/ui's icon SVGs where @grafana/ui
 * looks for them, and, with `grafana`, the stand-in for Grafana's plugin settings API and plugin proxy
 * (grafana-standin.ts).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { GrafanaStandIn } from './grafana-standin';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.md': 'text/markdown',
};

export interface HarnessServerOptions {
  harnessDir: string; // index.html
  bundleDir: string; // harness.js and its chunks
  pluginDist: string; // grafana-plugin/dist
  iconsDir: string; // @grafana/ui/dist/public/img/icons
  /** Grafana's plugin settings API and plugin proxy, standing in for Grafana's server. */
  grafana?: GrafanaStandIn;
}

export interface HarnessServer {
  url: string;
  close(): Promise<void>;
}

function serveFile(res: import('node:http').ServerResponse, root: string, rel: string): void {
  const file = normalize(join(root, rel));
  if (!file.startsWith(normalize(root)) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${rel}`);
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
  createReadStream(file).pipe(res);
}

export async function startHarnessServer(opts: HarnessServerOptions): Promise<HarnessServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (opts.grafana?.handle(req, res)) return;
    if (path === '/' || path === '/index.html') return serveFile(res, opts.harnessDir, 'index.html');
    if (path.startsWith('/plugin/')) return serveFile(res, opts.pluginDist, path.slice('/plugin/'.length));
    if (path.startsWith('/public/build/img/icons/')) return serveFile(res, opts.iconsDir, path.slice('/public/build/img/icons/'.length));
    return serveFile(res, opts.bundleDir, path.slice(1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('harness server has no port');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
