/** The HTTP server's bind and start-up gate, with real listeners on 127.0.0.1. */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { listen, ListenError } from './listen';

function occupyPort(): Promise<{ port: number; server: Server }> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, server }));
  });
}

describe('listen', () => {
  it('rejects with a ListenError naming host:port and EADDRINUSE when another listener holds the port', async () => {
    const other = await occupyPort();
    try {
      const err = await listen('127.0.0.1', other.port).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ListenError);
      expect((err as ListenError).message).toMatch(new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${other.port}: address already in use .*\\(EADDRINUSE\\)$`));
    } finally {
      other.server.close();
    }
  });

  it('answers 503 "starting" until served, then hands requests to the app', async () => {
    const bound = await listen('127.0.0.1', 0);
    try {
      const url = `http://127.0.0.1:${bound.address.port}/healthz`;
      const early = await fetch(url);
      expect(early.status).toBe(503);
      expect(early.headers.get('retry-after')).toBe('1');
      expect(await early.json()).toEqual({ error: 'starting' });
      bound.serve((_req, res) => res.end('ok'));
      expect(await (await fetch(url)).text()).toBe('ok');
    } finally {
      await bound.close();
    }
  });

  it('sets the server timeouts (Node would wait 300 s for a request body)', async () => {
    const bound = await listen('127.0.0.1', 0);
    try {
      expect(bound.server).toMatchObject({ requestTimeout: 15_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 });
    } finally {
      await bound.close();
    }
  });
});
