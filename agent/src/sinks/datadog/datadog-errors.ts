/**
 * A readable reason for a refused Datadog request. The client's ApiException carries the status and
 * either the decoded error body (`{errors: [...]}`, for the statuses its spec lists) or, for any other
 * status (500, 502, 503…), the text `Unknown API Status Code!\nBody: "…"` — which says nothing an
 * operator can use. This turns both into e.g. `Service Unavailable (overloaded)`. Pure.
 */
import { STATUS_CODES } from 'node:http';

const UNKNOWN_STATUS = /^Unknown API Status Code!\s*Body:\s*"([\s\S]*)"\s*$/;
const MAX_DETAIL = 200;

function errorsOf(v: unknown): string | null {
  const errors = (v as { errors?: unknown } | null)?.errors;
  return Array.isArray(errors) && errors.length ? errors.map(String).join('; ') : null;
}

function detailOf(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') return errorsOf(body) ?? JSON.stringify(body);
  const text = (UNKNOWN_STATUS.exec(body)?.[1] ?? body).trim();
  try {
    return errorsOf(JSON.parse(text)) ?? text;
  } catch {
    return text;
  }
}

export function datadogErrorText(status: number, body: unknown): string {
  const reason = STATUS_CODES[status] ?? 'unexpected status';
  const detail = detailOf(body).replace(/\s+/g, ' ').slice(0, MAX_DETAIL);
  return detail && detail !== reason ? `${reason} (${detail})` : reason;
}
