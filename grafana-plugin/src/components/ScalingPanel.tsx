/**
 * The WedSync scaling panel: per target, load against forecast, replicas, protections and overrides, plus
 * the weddings ahead. Reads the panel's Prometheus queries and, once the WedSync app is connected, the
 * agent API through the app's proxy routes, with the agent's tick stream laid over it live.
 */
import React, { useContext, useEffect, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Alert, Button, useStyles2 } from '@grafana/ui';
import { createAgentClient } from '../api/agentClient';
import { missingConnection, PROXY_BASE, type AppSettings } from '../api/appSettings';
import { AgentTransportContext, AppSettingsContext, EventSourceContext } from '../api/transportContext';
import { extractSeries, emptySeries } from '../data/frames';
import { withLive } from '../data/liveStatus';
import type { OverrideRequest, PanelOptions } from '../types';
import { useAgentData } from './useAgentData';
import { useAgentStream, usePollWhileDown } from './useAgentStream';
import { TargetCard } from './TargetCard';
import { DEFAULT_TIMELINE_ROWS, WeddingTimeline } from './WeddingTimeline';
import { OverrideForm } from './OverrideForm';
import { EmptyState } from './EmptyState';
import { ConnectAgent } from './ConnectAgent';
import { LiveIndicator } from './LiveIndicator';
import { CapacitySummary } from './CostLine';
import { testIds } from '../testIds';

/** While the stream is down, GET /status is polled this often. */
export const POLL_MS = 10_000;

export function ScalingPanel({ data, options, width, height, timeZone }: PanelProps<PanelOptions>) {
  const styles = useStyles2(getStyles);
  const transport = useContext(AgentTransportContext);
  const loadSettings = useContext(AppSettingsContext);
  const newEventSource = useContext(EventSourceContext);
  const [settings, setSettings] = useState<{ loaded: boolean; value: AppSettings | null }>({ loaded: false, value: null });
  useEffect(() => {
    let cancelled = false;
    void loadSettings().then((value) => !cancelled && setSettings({ loaded: true, value }));
    return () => {
      cancelled = true;
    };
  }, [loadSettings]);
  const missing = settings.loaded ? missingConnection(settings.value) : [];
  const connected = settings.loaded && missing.length === 0;
  const [formOpen, setFormOpen] = useState(false);
  const client = useMemo(() => (connected ? createAgentClient({ baseUrl: PROXY_BASE, fetch: transport }) : null), [connected, transport]);
  const agent = useAgentData(client, data.series, options.timelineHours || 48);
  const live = useAgentStream(connected && options.live !== false ? `${PROXY_BASE}/api/v1/stream` : null, newEventSource);
  usePollWhileDown(live.state, agent.reload, POLL_MS);
  const status = useMemo(() => withLive(agent.status, live.view), [agent.status, live.view]);
  const extracted = useMemo(() => extractSeries(data.series ?? []), [data.series]);

  const setOverride = async (req: OverrideRequest) => {
    await client!.setOverride(req);
    agent.reload();
  };
  const clearOverride = async (id: string) => {
    try {
      await client!.clearOverride(id);
    } finally {
      agent.reload();
    }
  };

  const wanted = (options.targets ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const statusById = new Map((status?.targets ?? []).map((t) => [t.id, t]));
  const ids = [...new Set([...statusById.keys(), ...[...extracted.byTarget.keys()].filter(Boolean)])].filter(
    (id) => wanted.length === 0 || wanted.includes(id),
  );
  // eslint-disable-next-line react-hooks/purity -- the wall clock is only the fallback when neither the agent nor the query says what "now" is
  const nowMs = status ? Date.parse(status.agent.now) : (data.timeRange?.to?.valueOf() ?? Date.now());
  const loadUnit = status?.agent.loadUnit ?? 'reqps';
  // Query failures from Grafana's data source (e.g. Prometheus down) are said, not shown as "no data".
  const queryErrors = [
    ...new Set(
      [...(data.errors ?? []), ...(data.error ? [data.error] : [])].map(
        (e) => `${e.refId ? `${e.refId}: ` : ''}${e.message ?? e.data?.message ?? 'query failed'}`,
      ),
    ),
  ];

  if (!settings.loaded) {
    return <div className={styles.panel} style={{ width, height }} data-testid={testIds.panel.container} />;
  }
  if (!connected && ids.length === 0) {
    return (
      <div className={styles.panel} style={{ width, height }} data-testid={testIds.panel.container}>
        <ConnectAgent missing={missing} />
      </div>
    );
  }
  if (ids.length === 0 && !agent.loading) {
    return (
      <EmptyState
        queryErrors={queryErrors}
        agentError={agent.error}
        missingRoles={extracted.missingRoles}
        unrecognised={extracted.unrecognised}
        width={width}
        height={height}
      />
    );
  }

  return (
    <div className={styles.panel} style={{ width, height }} data-testid={testIds.panel.container} data-stale={agent.stale ? 'true' : 'false'}>
      {!connected && <ConnectAgent missing={missing} compact />}
      {queryErrors.length > 0 && (
        <Alert severity="warning" title="Some queries failed" data-testid={testIds.panel.queryError}>
          {queryErrors.join('; ')}
        </Alert>
      )}
      {agent.error && (
        <Alert
          severity={agent.stale ? 'warning' : 'error'}
          title={
            agent.stale ? `Agent unreachable: showing its data from ${clock(agent.loadedAtMs)} (stale)` : 'Agent API unavailable: showing Prometheus data only'
          }
          data-testid={testIds.panel.agentError}
        >
          {agent.error.message}
        </Alert>
      )}
      {status && (
        <div className={styles.bar} data-testid={testIds.panel.agentInfo}>
          <span>{`agent ${status.agent.version} · ${status.agent.mode} · ${status.agent.cluster} · agent time ${status.agent.now.slice(0, 16).replace('T', ' ')}Z`}</span>
          <LiveIndicator state={live.state} lastEventAtMs={live.view.lastEventAtMs} lastEventId={live.view.lastEventId} pollSeconds={POLL_MS / 1000} />
          {!options.readOnly && !formOpen && (
            <Button size="sm" onClick={() => setFormOpen(true)} data-testid={testIds.override.openForm}>
              Set override…
            </Button>
          )}
        </div>
      )}
      {agent.warnings.map((w) => (
        <div key={w} className={styles.note}>
          {w}
        </div>
      ))}
      {formOpen && status && (
        <OverrideForm
          targets={status.targets
            .filter((t) => ids.includes(t.id))
            .map((t) => ({ id: t.id, minReplicas: t.replicas.min, maxReplicas: t.replicas.max, currentReplicas: t.replicas.current }))}
          nowMs={nowMs}
          onSubmit={setOverride}
          onClose={() => setFormOpen(false)}
        />
      )}
      <CapacitySummary plan={agent.capacityPlan} className={styles.summary} />
      {connected && <WeddingTimeline weddings={agent.weddings} nowMs={nowMs} hours={options.timelineHours || 48} />}
      {ids.map((id) => (
        <TargetCard
          key={id}
          id={id}
          series={extracted.byTarget.get(id) ?? emptySeries()}
          live={live.view.points[id]}
          decisions={live.view.decisionLog[id]}
          status={statusById.get(id)}
          forecast={agent.forecasts[id] ?? null}
          plan={agent.capacityPlan?.targets.find((t) => t.target === id)}
          freeze={agent.freeze[id]}
          anomalyThreshold={options.anomalyThreshold ?? 0.8}
          loadUnit={loadUnit}
          timeZone={timeZone || 'utc'}
          nowMs={nowMs}
          width={width - 32}
          chartHeight={chartHeight(height, ids.length, agent.weddings.length, formOpen)}
          onClearOverride={options.readOnly || !client ? undefined : clearOverride}
        />
      ))}
    </div>
  );
}

function clock(ms: number | null): string {
  return ms === null ? 'earlier' : new Date(ms).toISOString().slice(11, 19) + ' UTC';
}

/** Charts share what the header, timeline and form leave of the panel height, within readable bounds. */
function chartHeight(panelHeight: number, targets: number, weddings: number, formOpen: boolean): number {
  const fixed = 40 + 44 + 16 * Math.min(Math.max(weddings, 1), DEFAULT_TIMELINE_ROWS) + (formOpen ? 420 : 0);
  const perTarget = (panelHeight - fixed) / Math.max(targets, 1) - 64; // name, badges, overrides
  return Math.round(Math.max(140, Math.min(260, perTarget)));
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ overflow: 'auto', display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  bar: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  note: css({ color: theme.colors.warning.text, fontSize: theme.typography.bodySmall.fontSize }),
  summary: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
