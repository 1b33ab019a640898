/**
 * The panel's transport inside Grafana: every request goes through Grafana's backend (`getBackendSrv`)
 * to the app's proxy routes. The browser sends its Grafana session only; Grafana adds the agent's token.
 * Non-2xx answers come back as values, worded by whoever answered (the agent, or Grafana's proxy).
 */
import { lastValueFrom } from 'rxjs';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import type { FetchLike } from './agentClient';

export const grafanaTransport: FetchLike = async (url, init) => {
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        url,
        method: init.method,
        headers: init.headers,
        data: init.body === undefined ? undefined : JSON.parse(init.body),
        showErrorAlert: false,
        showSuccessAlert: false,
      }),
    );
    return { status: res.status, ok: true, text: async () => (typeof res.data === 'string' ? res.data : JSON.stringify(res.data ?? null)) };
  } catch (e) {
    if (isFetchError(e) && e.status > 0) {
      const data: unknown = e.data;
      return { status: e.status, ok: false, text: async () => (typeof data === 'string' ? data : JSON.stringify(data ?? null)) };
    }
    throw e instanceof Error ? e : new Error(isFetchError(e) ? (e.statusText ?? 'network error') : String(e));
  }
};
