/**
 * How the panel reaches Grafana and, through it, the agent: Grafana's backendSrv to the app's proxy
 * routes, the app's settings from Grafana, and the browser's EventSource for the tick stream. Unit tests
 * provide recorders instead.
 */
import { createContext } from 'react';
import type { FetchLike } from './agentClient';
import type { EventSourceLike } from './agentStream';
import { loadAppSettings, type AppSettings } from './appSettings';
import { grafanaTransport } from './grafanaTransport';

export const AgentTransportContext = createContext<FetchLike>(grafanaTransport);
export const AppSettingsContext = createContext<() => Promise<AppSettings | null>>(loadAppSettings);
export const EventSourceContext = createContext<((url: string) => EventSourceLike) | undefined>(undefined);
