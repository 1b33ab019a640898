/**
 * The WedSync scaling panel: per target, load against forecast, replicas, protections and overrides, plus
 * the weddings ahead. Reads the panel's Prometheus queries and, when an agent URL is set, the agent API.
 */
import React, { useCallback, useContext, useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { Alert, Button, useStyles2 } from '@grafana/ui';
import { AgentApiError, createAgentClient } from '../api/agentClient';
import { sessionTokenStore } from '../api/tokenStore';
import { AgentTransportContext } from '../api/transportContext';
import { extractSeries, emptySeries } from '../data/frames';
import type { OverrideRequest, PanelOptions } from '../types';
import { useAgentData } from './useAgentData';
import { TargetCard } from './TargetCard';
import { DEFAULT_TIMELINE_ROWS, WeddingTimeline } from './WeddingTimeline';
import { OverrideForm } from './OverrideForm';
import { TokenPrompt } from './TokenPrompt';
import { EmptyState } from './EmptyState';
import { CapacitySummary } from './CostLine';
import { testIds } from '../testIds';

export function ScalingPanel({ data, options, width, height }: PanelProps<PanelOptions>) {
  const styles = useStyles2(getStyles);
  const transport = useContext(AgentTransportContext);
  const agentUrl = options.agentUrl?.trim() ?? '';
  const tokens = useMemo(() => sessionTokenStore(agentUrl), [agentUrl]);
  const [token, setToken] = useState<string | null>(() => tokens.get());
  const [askToken, setAskToken] = useState(false);
  const [formOpen, setFormOpen] = useState(false);
  const client = useMemo(
    () => (agentUrl ? createAgentClient({ baseUrl: agentUrl, getToken: () => tokens.get(), fetch: transport }) : null),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `token` is read through tokens.get(); a new token must still make a new client, which reloads everything with it
    [agentUrl, tokens, transport, token],
  );
  const agent = useAgentData(client, data.series, options.timelineHours || 48);
  const extracted = useMemo(() => extractSeries(data.series ?? []), [data.series]);

  const saveToken = (t: string) => {
    tokens.set(t);
    setToken(t);
    setAskToken(false);
  };
  const forgetToken = () => {
    tokens.clear();
    setToken(null);
  };
  const guard = useCallback(async <T,>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      if (e instanceof AgentApiError && e.needsToken) {setAskToken(true);}
      throw e;
    }
  }, []);
  const setOverride = async (req: OverrideRequest) => {
    await guard(() => client!.setOverride(req));
    agent.reload();
  };
  const clearOverride = async (id: string) => {
    try {
      await guard(() => client!.clearOverride(id));
    } finally {
      agent.reload();
    }
  };

  const wanted = (options.targets ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const statusById = new Map((agent.status?.targets ?? []).map((t) => [t.id, t]));
  const ids = [...new Set([...statusById.keys(), ...[...extracted.byTarget.keys()].filter(Boolean)])].filter((id) => wanted.length === 0 || wanted.includes(id));
  // eslint-disable-next-line react-hooks/purity -- the wall clock is only the fallback when neither the agent nor the query says what "now" is
  const nowMs = agent.status ? Date.parse(agent.status.agent.now) : (data.timeRange?.to?.valueOf() ?? Date.now());
  const needsToken = askToken || (agent.error?.needsToken ?? false);
  // Query failures from Grafana's data source (e.g. Prometheus down) are said, not shown as "no data".
  const queryErrors = [...new Set([...(data.errors ?? []), ...(data.error ? [data.error] : [])].map((e) => `${e.refId ? `${e.refId}: ` : ''}${e.message ?? e.data?.message ?? 'query failed'}`))];

  if (ids.length === 0 && !agent.loading && !needsToken) {
    return <EmptyState queryErrors={queryErrors} agentUrl={agentUrl} agentError={agent.error} missingRoles={extracted.missingRoles} unrecognised={extracted.unrecognised} width={width} height={height} />;
  }

  return (
    <div className={styles.panel} style={{ width, height }} data-testid={testIds.panel.container}>
      {needsToken && <TokenPrompt reason={agent.error?.needsToken ? `The agent said: ${agent.error.message}.` : 'This action needs an operator token.'} onSave={saveToken} />}
      {queryErrors.length > 0 && (
        <Alert severity="warning" title="Some queries failed" data-testid={testIds.panel.queryError}>
          {queryErrors.join('; ')}
        </Alert>
      )}
      {agent.error && !agent.error.needsToken && (
        <Alert severity="error" title="Agent API unavailable: showing Prometheus data only" data-testid={testIds.panel.agentError}>
          {agent.error.message}
        </Alert>
      )}
      {agent.status && (
        <div className={styles.bar} data-testid={testIds.panel.agentInfo}>
          <span>{`agent ${agent.status.agent.version} · ${agent.status.agent.mode} · ${agent.status.agent.cluster} · agent time ${agent.status.agent.now.slice(0, 16).replace('T', ' ')}Z`}</span>
          {!options.readOnly && !formOpen && (
            <Button size="sm" onClick={() => setFormOpen(true)} data-testid={testIds.override.openForm}>
              Set override…
            </Button>
          )}
          {token && (
            <Button size="sm" variant="secondary" onClick={forgetToken} data-testid={testIds.token.forget}>
              Forget token
            </Button>
          )}
        </div>
      )}
      {agent.warnings.map((w) => (
        <div key={w} className={styles.note}>{w}</div>
      ))}
      {formOpen && agent.status && (
        <OverrideForm
          targets={agent.status.targets.filter((t) => ids.includes(t.id)).map((t) => ({ id: t.id, minReplicas: t.replicas.min, maxReplicas: t.replicas.max, currentReplicas: t.replicas.current }))}
          nowMs={nowMs}
          onSubmit={setOverride}
          onClose={() => setFormOpen(false)}
        />
      )}
      <CapacitySummary plan={agent.capacityPlan} className={styles.summary} />
      <WeddingTimeline
        weddings={agent.weddings}
        nowMs={nowMs}
        hours={options.timelineHours || 48}
        note={agentUrl ? undefined : 'Set the agent URL in the panel options to see the weddings ahead.'}
      />
      {ids.map((id) => (
        <TargetCard
          key={id}
          id={id}
          series={extracted.byTarget.get(id) ?? emptySeries()}
          status={statusById.get(id)}
          forecast={agent.forecasts[id] ?? null}
          plan={agent.capacityPlan?.targets.find((t) => t.target === id)}
          freeze={agent.freeze[id]}
          anomalyThreshold={options.anomalyThreshold ?? 0.8}
          nowMs={nowMs}
          width={width - 32}
          chartHeight={chartHeight(height, ids.length, agent.weddings.length, formOpen)}
          onClearOverride={options.readOnly || !client ? undefined : clearOverride}
        />
      ))}
    </div>
  );
}

/** Charts share what the header, timeline and form leave of the panel height, within readable bounds. */
function chartHeight(panelHeight: number, targets: number, weddings: number, formOpen: boolean): number {
  const fixed = 40 + 44 + 16 * Math.min(Math.max(weddings, 1), DEFAULT_TIMELINE_ROWS) + (formOpen ? 420 : 0);
  const perTarget = (panelHeight - fixed) / Math.max(targets, 1) - 64; // name, badges, overrides
  return Math.round(Math.max(70, Math.min(200, perTarget)));
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({ overflow: 'auto', display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  bar: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'center', color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  note: css({ color: theme.colors.warning.text, fontSize: theme.typography.bodySmall.fontSize }),
  summary: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
});
