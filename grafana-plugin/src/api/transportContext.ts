/**
 * Which HTTP transport the panel uses to talk to the agent. Default: the browser's fetch. Tests and the
 * browser harness provide a recorder; a Grafana deployment can provide one that goes through a proxy.
 */
import { createContext } from 'react';
import type { FetchLike } from './agentClient';

export const AgentTransportContext = createContext<FetchLike | undefined>(undefined);
