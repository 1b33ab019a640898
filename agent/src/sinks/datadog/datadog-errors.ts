/**
 * A readable reason for a refused Datadog request: the status's name and what the body says, e.g.
 * `Service Unavailable (overloaded)`. Datadog answers errors as `{"errors": ["…"]}`; a proxy or load
 * balancer in front of it may answer HTML or nothing. Pure.
 */
import { STATUS_CODES } from 'node:http';

const MAX_DETAIL = 200;

function detailOf(body: string): string {
  const text = body.trim();
  try {
    const errors = (JSON.parse(text) as { errors?: unknown } | null)?.errors;
    if (Array.isArray(errors) && errors.length) return errors.map(String).join('; ');
  } catch {
    // not JSON: the text itself
  }
  return text;
}

export function datadogErrorText(status: number, body: string): string {
  const reason = STATUS_CODES[status] ?? 'unexpected status';
  const detail = detailOf(body).replace(/\s+/g, ' ').slice(0, MAX_DETAIL);
  return detail && detail !== reason ? `${reason} (${detail})` : reason;
}
