/**
 * The panel's client for the agent's operator API (/api/v1), reached through the WedSync app's proxy
 * routes in Grafana (`/api/plugin-proxy/wedsync-scaling-app/api/v1/...`). The browser never holds the
 * agent's token: Grafana adds it server-side. The transport is injected (Grafana's backendSrv in the
 * panel, a recorder in tests).
 */
import type { ApiError, CalendarWindowDto, CapacityPlanDto, DeployFreezeDto, ForecastDto, OverrideDto, OverrideRequest, StatusDto } from '../types';

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) => Promise<{
  status: number;
  ok: boolean;
  text(): Promise<string>;
}>;

/** Who refused a request: the agent (its token's role) or Grafana's proxy (the viewer's Grafana role). */
export type Refusal = 'agent-token' | 'agent-role' | 'grafana-role' | null;

/** A failed call, worded as the agent (or Grafana's proxy) worded it, plus what to do about it. */
export class AgentApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details: Array<{ field: string; reason: string }> = [],
    readonly refusal: Refusal = null,
  ) {
    super(message);
    this.name = 'AgentApiError';
  }
  /** The agent could not be reached at all (network, or Grafana's proxy answered 502/504). */
  get unreachable(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 504;
  }
}

/** Words a refusal so that the reader knows who refused and who can change it. */
export function explainRefusal(status: number, body: { error?: unknown; message?: unknown } | undefined): { message: string; refusal: Refusal } | null {
  const agentSaid = typeof body?.error === 'string' ? body.error : null;
  const grafanaSaid = typeof body?.message === 'string' ? body.message : null;
  if (status === 403 && !agentSaid && grafanaSaid) {
    return {
      refusal: 'grafana-role',
      message: `Grafana refused (${grafanaSaid}): setting and clearing overrides needs the Editor role in Grafana (or Admin); ask an org admin`,
    };
  }
  if (status === 403 && agentSaid) {
    return {
      refusal: 'agent-role',
      message: `the agent refused the WedSync app's token (${agentSaid}): a Grafana admin must set a token with the operator role on the WedSync app's configuration page`,
    };
  }
  if (status === 401) {
    return {
      refusal: 'agent-token',
      message: `the agent does not accept the WedSync app's token (${agentSaid ?? 'HTTP 401'}): a Grafana admin must set a valid token on the WedSync app's configuration page`,
    };
  }
  return null;
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
  /** Grafana's proxy path for the app (PROXY_BASE), or an agent URL in tests. */
  baseUrl: string;
  fetch: FetchLike;
}

export function apiBase(agentUrl: string): string {
  const trimmed = agentUrl.trim().replace(/\/+$/, '');
  return trimmed.endsWith('/api/v1') ? trimmed : `${trimmed}/api/v1`;
}

export function createAgentClient(opts: AgentClientOptions): AgentClient {
  const base = apiBase(opts.baseUrl);
  const doFetch = opts.fetch;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let res: Awaited<ReturnType<FetchLike>>;
    try {
      res = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new AgentApiError(`cannot reach Grafana's proxy to the agent (${(e as Error).message})`, 0);
    }
    const text = await res.text();
    const parsed = parseJson(text);
    if (!res.ok) {
      const err = parsed as (Partial<ApiError> & { message?: unknown }) | undefined;
      const refused = explainRefusal(res.status, err);
      if (refused) {
        throw new AgentApiError(refused.message, res.status, [], refused.refusal);
      }
      if ((res.status === 502 || res.status === 504) && typeof err?.error !== 'string') {
        throw new AgentApiError(
          `the agent is unreachable through Grafana's proxy (HTTP ${res.status}): check the agent URL on the WedSync app's configuration page and that the agent is running`,
          res.status,
        );
      }
      const message =
        typeof err?.error === 'string'
          ? err.error
          : typeof err?.message === 'string'
            ? err.message
            : `agent answered HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
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
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
