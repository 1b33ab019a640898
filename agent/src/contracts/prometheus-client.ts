/**
 * The agent's own Prometheus HTTP client: the load source, the fleet source and the OpenCost refresher
 * ask Prometheus (or a global store speaking its API) through it, so none of them imports another.
 */
export interface PrometheusClientOptions {
  url: string;
  timeoutSeconds: number;
  bearerToken?: string;
  fetch?: typeof fetch;
}

export interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  errorType?: string;
  data?: {
    resultType: string;
    result: Array<{ metric?: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }> | [number, string];
  };
}

/** A failed request: `status` is the HTTP status (absent when none came back), `errorType` Prometheus's own (e.g. bad_data). */
export interface PromFailure {
  failure: string;
  status?: number;
  errorType?: string;
}

/** One GET against the Prometheus HTTP API; never throws (failures are values). */
export async function promGet(opts: PrometheusClientOptions, path: string, params: Record<string, string>): Promise<PromResponse | PromFailure> {
  const url = new URL(path, opts.url.endsWith('/') ? opts.url : opts.url + '/');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  try {
    const res = await (opts.fetch ?? fetch)(url, {
      headers: opts.bearerToken ? { authorization: `Bearer ${opts.bearerToken}` } : {},
      signal: AbortSignal.timeout(opts.timeoutSeconds * 1000),
    });
    const body = (await res.json().catch(() => null)) as PromResponse | null;
    if (!res.ok || !body || body.status !== 'success')
      return { failure: `HTTP ${res.status}${body?.error ? `: ${body.error}` : ''}`, status: res.status, errorType: body?.errorType };
    return body;
  } catch (err) {
    const e = err as Error;
    return {
      failure:
        e.name === 'TimeoutError'
          ? `timeout after ${opts.timeoutSeconds}s`
          : `${e.message}${(e.cause as Error)?.message ? ` (${(e.cause as Error).message})` : ''}`,
    };
  }
}
