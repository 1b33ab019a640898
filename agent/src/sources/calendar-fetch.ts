/**
 * Reading a calendar source's bytes: a file, or an HTTP(S) URL with the configured credentials, refused
 * as soon as it passes calendar.maxBytes (a huge answer is never held in memory) and bounded in time.
 * Only I/O happens here, on the main thread and without blocking it; the bytes go to a worker thread to be
 * parsed (calendar-parse-pool.ts).
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { CalendarSourceConfig } from '../config/schema';
import { redactUrl } from '../util/redact-url';

export interface FetchedResponse {
  ok: boolean;
  status: number;
  headers?: { get(name: string): string | null };
  body?: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
}

export type Fetcher = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<FetchedResponse>;

/** Default for calendar.maxBytes: thousands of weddings fit in a fraction of it. */
export const DEFAULT_CALENDAR_MAX_BYTES = 16 * 1024 * 1024;

/** The name a source is shown and keyed by (status, metrics, logs, the durable state): its location with secrets redacted. */
export const sourceName = (s: Pick<CalendarSourceConfig, 'location'>): string => redactUrl(s.location);

/**
 * The URL to fetch and the headers to send: `bearerToken` and `headers` from the config (values from
 * `${ENV}`), and a URL's `user:pass@` turned into Basic authentication (fetch refuses a URL with
 * credentials in it) unless an Authorization header is configured.
 */
export function httpRequestOf(s: CalendarSourceConfig): { url: string; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(s.headers ?? {})) headers[k.toLowerCase()] = v;
  if (s.bearerToken) headers.authorization = `Bearer ${s.bearerToken}`;
  const url = new URL(s.location);
  if (url.username || url.password) {
    headers.authorization ??= `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { url: url.toString(), headers };
}

export interface SourceReadOptions {
  baseDir: string;
  fetcher: Fetcher;
  timeoutMs: number;
  maxBytes: number;
}

/** The source's bytes, or an error saying why not (HTTP status, over maxBytes, timeout, no such file). */
export async function readSourceBytes(s: CalendarSourceConfig, o: SourceReadOptions): Promise<Uint8Array> {
  if (/^https?:\/\//.test(s.location)) {
    const { url, headers } = httpRequestOf(s);
    const res = await o.fetcher(url, { headers, signal: AbortSignal.timeout(o.timeoutMs) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return readCapped(res, o.maxBytes);
  }
  const path = isAbsolute(s.location) ? s.location : resolve(o.baseDir, s.location);
  const { size } = await stat(path);
  if (size > o.maxBytes) throw tooLarge(size, o.maxBytes);
  return readFile(path);
}

function tooLarge(bytes: number, maxBytes: number): Error {
  return new Error(`calendar is ${bytes} bytes or more, over calendar.maxBytes (${maxBytes}); not read, the last good calendar is kept`);
}

/** The body, refusing it as soon as it passes maxBytes. */
async function readCapped(res: FetchedResponse, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(res.headers?.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(declared, maxBytes);
  if (!res.body) {
    const bytes = Buffer.from(await res.text(), 'utf8');
    if (bytes.byteLength > maxBytes) throw tooLarge(bytes.byteLength, maxBytes);
    return bytes;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(total, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
