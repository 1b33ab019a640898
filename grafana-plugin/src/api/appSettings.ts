/**
 * The WedSync app's settings, kept by Grafana (`/api/plugins/<app id>/settings`): the agent URL in
 * jsonData, the agent's token in secureJsonData. Grafana encrypts secureJsonData, never sends it back to
 * a browser (only `secureJsonFields: { agentToken: true }`), and adds it to proxied requests itself
 * (plugin.json `routes`). The panel only ever learns whether the app is connected.
 */
import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';

export const APP_ID = 'wedsync-scaling-app';
/** Where the panel's requests go: Grafana's plugin proxy, which forwards them to the agent with the token. */
export const PROXY_BASE = `/api/plugin-proxy/${APP_ID}`;

export interface AppJsonData {
  /** The agent's base URL as Grafana's server reaches it, e.g. http://wedsync-agent.wedsync:8080. */
  agentUrl?: string;
}

export interface AppSettings {
  enabled: boolean;
  jsonData: AppJsonData;
  /** Which secrets are set; their values never leave Grafana's server. */
  secureJsonFields: Record<string, boolean>;
}

/** Connected: enabled, with an agent URL and a token. What is missing otherwise, in words. */
export function missingConnection(s: AppSettings | null): string[] {
  if (!s) {
    return ['the WedSync app is not installed or not enabled'];
  }
  const missing: string[] = [];
  if (!s.enabled) {
    missing.push('the WedSync app is not enabled');
  }
  if (!s.jsonData?.agentUrl) {
    missing.push('no agent URL is set');
  }
  if (!s.secureJsonFields?.agentToken) {
    missing.push('no agent token is set');
  }
  return missing;
}

export async function loadAppSettings(): Promise<AppSettings | null> {
  try {
    const res = await lastValueFrom(getBackendSrv().fetch<AppSettings>({ url: `/api/plugins/${APP_ID}/settings`, method: 'GET', showErrorAlert: false }));
    return { enabled: !!res.data.enabled, jsonData: res.data.jsonData ?? {}, secureJsonFields: res.data.secureJsonFields ?? {} };
  } catch {
    return null;
  }
}

/** Saves the app's settings; `agentToken` only when a new one was typed (else Grafana keeps the old one). */
export async function saveAppSettings(agentUrl: string, agentToken: string | null, resetToken = false): Promise<void> {
  const secureJsonData = agentToken ? { agentToken } : resetToken ? { agentToken: '' } : undefined;
  await lastValueFrom(
    getBackendSrv().fetch({
      url: `/api/plugins/${APP_ID}/settings`,
      method: 'POST',
      data: { enabled: true, pinned: true, jsonData: { agentUrl: agentUrl.trim().replace(/\/+$/, '') }, secureJsonData },
      showErrorAlert: false,
    }),
  );
}
