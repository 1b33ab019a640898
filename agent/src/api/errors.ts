/** HTTP errors as values the routes throw and one handler turns into `ApiError` bodies. */
import type { ErrorRequestHandler, Response } from 'express';
import type { ZodError } from 'zod';
import type { Logger } from '../util/logger';
import type { ApiError } from './contract';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: ApiError['details'],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** One entry per bad field, named by its path ("series[0].points[3][1]"), so a client knows what to fix. */
export function zodDetails(err: ZodError, root: string): NonNullable<ApiError['details']> {
  return err.issues.map((i) => ({ field: fieldName(root, i.path), reason: i.message }));
}

function fieldName(root: string, path: ReadonlyArray<PropertyKey>): string {
  let out = root;
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${String(k)}`;
  return out || '(body)';
}

export function badRequest(err: ZodError, root: string): HttpError {
  const details = zodDetails(err, root);
  return new HttpError(400, `invalid ${root || 'body'}: ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`, details);
}

export function sendError(res: Response, status: number, error: string, details?: ApiError['details']): void {
  const body: ApiError = details ? { error, details } : { error };
  res.status(status).json(body);
}

/** body-parser errors carry `type` and a 4xx `status`; map them to clear messages (never a 500). */
const BODY_ERRORS: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'body is not valid JSON'],
  'entity.too.large': [413, 'body is too large'],
  'encoding.unsupported': [415, 'unsupported content encoding'],
  'charset.unsupported': [415, 'unsupported charset (use utf-8)'],
  'request.aborted': [400, 'request aborted'],
  'request.size.invalid': [400, 'body length does not match Content-Length'],
  'stream.encoding.set': [500, 'body stream misconfigured'],
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers)) res.set(k, v);
      sendError(res, err.status, err.message, err.details);
      return;
    }
    const e = err as { type?: string; status?: number; expose?: boolean; limit?: number };
    if (e.type && BODY_ERRORS[e.type]) {
      const [status, message] = BODY_ERRORS[e.type];
      sendError(res, status, status === 413 && e.limit ? `${message} (limit ${e.limit} bytes)` : message);
      return;
    }
    // Other client errors from express itself (e.g. a malformed %-escape in a path parameter).
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      sendError(res, e.status, e.expose ? (err as Error).message : 'bad request');
      return;
    }
    logger.error({ err }, 'api request failed');
    sendError(res, 500, 'internal error');
  };
}
