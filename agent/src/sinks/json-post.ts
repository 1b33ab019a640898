/**
 * One JSON POST with Node's fetch (gzip-compressed when asked), its answer turned into a SendOutcome:
 * what the HTTP transports (Datadog, New Relic) share. Never throws: a network error or timeout is a
 * retryable failure; any non-2xx goes through `httpFailure` (retryable or not, Retry-After kept).
 */
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { httpFailure } from './retry';
import type { SendOutcome } from '../contracts/sink';

const gzipAsync = promisify(gzip);

export interface JsonPost {
  url: string;
  /** Auth and any other headers; Content-Type (and Content-Encoding) are set here. */
  headers: Record<string, string>;
  payload: unknown;
  gzip: boolean;
  signal: AbortSignal;
  /** Turns a refusal's status and body into the error text (default: the body as sent). */
  describe?: (status: number, body: string) => string;
}

export async function postJson(p: JsonPost): Promise<SendOutcome> {
  try {
    const json = JSON.stringify(p.payload);
    const res = await fetch(p.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(p.gzip ? { 'Content-Encoding': 'gzip' } : {}), ...p.headers },
      body: p.gzip ? await gzipAsync(json) : json,
      signal: p.signal,
    });
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return { ok: true };
    return httpFailure(res.status, res.headers.get('retry-after'), Date.now(), p.describe ? p.describe(res.status, text) : text);
  } catch (err) {
    return { ok: false, retryable: true, error: err instanceof Error ? err.message : String(err) };
  }
}
