import { createServer } from 'node:net';

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it; we release it for a child process). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
