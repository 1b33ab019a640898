/**
 * The panel's client for the agent's operator API (/api/v1). The transport is injected (`fetch` by
 * default) so tests can record requests and Grafana deployments can route through a proxy. The token
 * comes from a getter at request time: it is never stored in the client or in panel options.
 */
import type { ApiError, CalendarWindowDto, CapacityPlanDto, DeployFreezeDto, ForecastDto, OverrideDto, OverrideRequest, StatusDto } from '../types';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{
  status: number;
  ok: boolean;
  text(): Promise<string>;
}>;

/** A failed call, worded as the agent worded it (its `error` and per-field `details`). */
export class AgentApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details: Array<{ field: string; reason: string }> = [],
  ) {
    super(message);
    this.name = 'AgentApiError';
  }
  /** 401/403: the operator needs to type (another) token. */
  get needsToken(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

export interface AgentClient {
  status(): Promise<StatusDto>;
  /** The forecast from now to `horizonHours` ahead. */
  forecast(targetId: string, horizonHours: number): Promise<ForecastDto>;
  calendar(from: Date, to: Date): Promise<CalendarWindowDto[]>;
  /** May a deploy land now: per target frozen, until when, the live weddings, the last break glass. */
  deployFreeze(): Promise<DeployFreezeDto>;
  overrides(): Promise<OverrideDto[]>;
  /** The coming weekend's capacity plan (the agent's default window). */
  capacityPlan(): Promise<CapacityPlanDto>;
  setOverride(request: OverrideRequest): Promise<OverrideDto>;
  clearOverride(id: string): Promise<void>;
}

export interface AgentClientOptions {
  baseUrl: string;
  getToken: () => string | null;
  fetch?: FetchLike;
}

export function apiBase(agentUrl: string): string {
  const trimmed = agentUrl.trim().replace(/\/+$/, '');
  return trimmed.endsWith('/api/v1') ? trimmed : `${trimmed}/api/v1`;
}

export function createAgentClient(opts: AgentClientOptions): AgentClient {
  const base = apiBase(opts.baseUrl);
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => globalThis.fetch(url, init));

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = opts.getToken();
    if (token) {headers.Authorization = `Bearer ${token}`;}
    if (body !== undefined) {headers['Content-Type'] = 'application/json';}
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      // Browsers hide the cause of network and CORS failures; say what usually causes them.
      throw new AgentApiError(`cannot reach the agent at ${base} (${(e as Error).message}); check the agent URL and that the agent allows this origin (CORS)`, 0);
    }
    const text = await res.text();
    const parsed = parseJson(text);
    if (!res.ok) {
      const err = parsed as Partial<ApiError> | undefined;
      const message = typeof err?.error === 'string' ? err.error : `agent answered HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      throw new AgentApiError(message, res.status, Array.isArray(err?.details) ? err.details : []);
    }
    return parsed as T;
  }

  return {
    status: () => call<StatusDto>('GET', '/status'),
    forecast: (targetId, horizonHours) => call<ForecastDto>('GET', `/targets/${encodeURIComponent(targetId)}/forecast?horizon=${horizonHours}`),
    calendar: async (from, to) => {
      const body = await call<CalendarWindowDto[] | { windows: CalendarWindowDto[] }>(
        'GET',
        `/calendar?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`,
      );
      return Array.isArray(body) ? body : (body?.windows ?? []);
    },
    deployFreeze: () => call<DeployFreezeDto>('GET', '/deploy-freeze'),
    overrides: async () => {
      const body = await call<OverrideDto[] | { overrides: OverrideDto[] }>('GET', '/overrides');
      return Array.isArray(body) ? body : (body?.overrides ?? []);
    },
    capacityPlan: () => call<CapacityPlanDto>('GET', '/capacity-plan'),
    setOverride: (request) => call<OverrideDto>('POST', '/overrides', request),
    clearOverride: async (id) => {
      await call<unknown>('DELETE', `/overrides/${encodeURIComponent(id)}`);
    },
  };
}

function parseJson(text: string): unknown {
  if (!text) {return undefined;}
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
