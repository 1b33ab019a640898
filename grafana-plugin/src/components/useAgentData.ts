/**
 * Loads what the agent API knows (status, next weddings, forecasts) whenever the agent URL, the token or
 * the dashboard refresh changes. A failed status is an error the panel shows; a failed calendar or
 * forecast only leaves that part empty with a note — metrics from Prometheus still render. When the
 * agent cannot be reached, the last good data stays, marked stale (`stale`, `loadedAtMs`).
 */
import { useCallback, useEffect, useState } from 'react';
import { AgentApiError, type AgentClient } from '../api/agentClient';
import type { CalendarWindowDto, CapacityPlanDto, ForecastDto, StatusDto, TargetFreezeDto } from '../types';

export interface AgentData {
  loading: boolean;
  status: StatusDto | null;
  weddings: CalendarWindowDto[];
  forecasts: Record<string, ForecastDto>;
  /** The coming weekend's plan; null when the agent has none (older agents answer 404: no warning). */
  capacityPlan: CapacityPlanDto | null;
  /** Each target's deploy freeze and last break glass (empty when the agent has no freeze route). */
  freeze: Record<string, TargetFreezeDto>;
  error: AgentApiError | null;
  /** The data shown is from an earlier load: the last one failed. */
  stale: boolean;
  /** When (browser clock, ms) the data shown was loaded. */
  loadedAtMs: number | null;
  /** Parts that failed while status worked, e.g. "calendar: agent answered HTTP 500". */
  warnings: string[];
  reload: () => void;
}

/** Hours of future forecast drawn after the Prometheus history. */
export const FORECAST_HORIZON_HOURS = 6;

const NOTHING_LOADED: Omit<AgentData, 'reload'> = {
  loading: false,
  status: null,
  weddings: [],
  forecasts: {},
  capacityPlan: null,
  freeze: {},
  error: null,
  warnings: [],
  stale: false,
  loadedAtMs: null,
};

export function useAgentData(client: AgentClient | null, refreshKey: unknown, timelineHours: number): AgentData {
  const [state, setState] = useState<Omit<AgentData, 'reload'>>(NOTHING_LOADED);
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(() => {
    if (!client) {
      return;
    }
    let cancelled = false;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- marks the start of a request to the agent, an external system
    setState((s) => ({ ...s, loading: true }));
    (async () => {
      try {
        const status = await client.status();
        const nowMs = Date.parse(status.agent.now) || Date.now();
        const warnings: string[] = [];
        const [weddings, forecasts, capacityPlan, freeze] = await Promise.all([
          client.calendar(new Date(nowMs), new Date(nowMs + timelineHours * 3600_000)).catch((e: Error) => {
            warnings.push(`calendar: ${e.message}`);
            return [] as CalendarWindowDto[];
          }),
          Promise.all(
            status.targets.map((t) =>
              client.forecast(t.id, FORECAST_HORIZON_HOURS).catch((e: Error) => {
                warnings.push(`forecast for ${t.id}: ${e.message}`);
                return null;
              }),
            ),
          ),
          client.capacityPlan().catch((e: Error) => {
            if (!(e instanceof AgentApiError && e.status === 404)) {
              warnings.push(`capacity plan: ${e.message}`);
            }
            return null;
          }),
          client.deployFreeze().catch((e: Error) => {
            warnings.push(`deploy freeze: ${e.message}`);
            return null;
          }),
        ]);
        if (cancelled) {
          return;
        }
        const byTarget: Record<string, ForecastDto> = {};
        for (const f of forecasts) {
          if (f) {
            byTarget[f.target] = f;
          }
        }
        const freezeByTarget: Record<string, TargetFreezeDto> = {};
        for (const t of freeze?.targets ?? []) {
          freezeByTarget[t.id] = t;
        }
        setState({
          loading: false,
          status,
          weddings,
          forecasts: byTarget,
          capacityPlan,
          freeze: freezeByTarget,
          error: null,
          warnings,
          stale: false,
          loadedAtMs: Date.now(),
        });
      } catch (e) {
        if (cancelled) {
          return;
        }
        const err = e instanceof AgentApiError ? e : new AgentApiError((e as Error).message, 0);
        // Keep what was last loaded (stale) rather than blanking the panel while the agent is away.
        setState((prev) => ({ ...prev, loading: false, error: err, stale: prev.status !== null }));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client, refreshKey, timelineHours, nonce]);

  // Without a client there is nothing to load: say so directly rather than through an effect.
  return { ...(client ? state : NOTHING_LOADED), reload };
}
