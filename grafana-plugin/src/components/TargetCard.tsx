/** One scaling target: replicas now and wanted, protections, overrides, and its load chart. */
import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { useStyles2 } from '@grafana/ui';
import type { GrafanaTheme2 } from '@grafana/data';
import { last, type Point, type TargetSeries } from '../data/frames';
import type { CapacityPlanDto, DecisionDto, ForecastDto, TargetFreezeDto, TargetStatusDto } from '../types';
import { recordDecision } from '../data/decisionLog';
import { CostNow, WeekendPlan } from './CostLine';
import { LoadChart } from './LoadChart';
import { ProtectionBadges } from './ProtectionBadges';
import { ActiveOverrides } from './ActiveOverrides';
import { testIds } from '../testIds';

interface Props {
  id: string;
  series: TargetSeries;
  /** Observed load from the agent's tick stream, after the Prometheus history. */
  live?: Point[];
  /** Scale decisions the panel has seen for this target (stream and status), oldest first. */
  decisions?: readonly DecisionDto[];
  loadUnit: string;
  timeZone: string;
  status: TargetStatusDto | undefined;
  forecast: ForecastDto | null;
  /** This target's part of the coming weekend's capacity plan, when the agent has one. */
  plan?: CapacityPlanDto['targets'][number];
  /** The target's deploy freeze and last break glass (GET /deploy-freeze), when the agent has them. */
  freeze?: TargetFreezeDto;
  anomalyThreshold: number;
  nowMs: number;
  width: number;
  chartHeight: number;
  onClearOverride?: (id: string) => Promise<void>;
}

export function TargetCard({
  id,
  series,
  live,
  decisions,
  loadUnit,
  timeZone,
  status,
  forecast,
  plan,
  freeze,
  anomalyThreshold,
  nowMs,
  width,
  chartHeight,
  onClearOverride,
}: Props) {
  const styles = useStyles2(getStyles);
  // The stream's decisions, and the last one GET /status gave (all there is while polling).
  const chartDecisions = useMemo(() => recordDecision(decisions ?? NO_DECISIONS, status?.lastDecision), [decisions, status?.lastDecision]);
  // The API is the fresher source; the Prometheus series fill in when the API is not configured.
  const current = status?.replicas.current ?? last(series.current);
  const desired = status?.replicas.desired ?? status?.lastDecision?.desiredReplicas ?? last(series.desired);
  const direction = current !== null && desired !== null ? (desired > current ? '↑' : desired < current ? '↓' : '=') : '';
  return (
    <section className={styles.card} data-testid={testIds.target.card(id)}>
      <header className={styles.header}>
        <strong>{id}</strong>
        {status && <span className={styles.muted}>{`${status.kubernetes.kind} ${status.kubernetes.namespace}/${status.kubernetes.name}`}</span>}
        <span className={styles.replicas}>
          replicas <b data-testid={testIds.target.replicasCurrent}>{current ?? '–'}</b> now →{' '}
          <b data-testid={testIds.target.replicasDesired}>{desired ?? '–'}</b> wanted {direction}
        </span>
      </header>
      <CostNow cost={status?.cost} className={styles.muted} />
      <WeekendPlan plan={plan} className={styles.muted} />
      <ProtectionBadges
        protections={status?.protections ?? []}
        peakSeason={status?.peakSeason ?? false}
        deployFreeze={status?.deployFreeze ?? false}
        freeze={freeze}
        overrides={status?.overrides ?? []}
        nowMs={nowMs}
      />
      <ActiveOverrides overrides={status?.overrides ?? []} nowMs={nowMs} onClear={onClearOverride} />
      {status?.load.error && <div className={styles.warning}>{`load source: ${status.load.error}`}</div>}
      {status?.scaleError && <div className={styles.warning}>{`scaling: ${status.scaleError}`}</div>}
      <LoadChart
        series={series}
        live={live ?? NO_POINTS}
        decisions={chartDecisions}
        forecast={forecast}
        anomalyThreshold={anomalyThreshold}
        loadUnit={loadUnit}
        timeZone={timeZone}
        width={width}
        height={chartHeight}
      />
    </section>
  );
}

const NO_POINTS: Point[] = [];
const NO_DECISIONS: readonly DecisionDto[] = [];

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({ padding: theme.spacing(1), borderBottom: `1px solid ${theme.colors.border.weak}` }),
  header: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'baseline', flexWrap: 'wrap', marginBottom: theme.spacing(0.5) }),
  muted: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  replicas: css({ marginLeft: 'auto' }),
  warning: css({ color: theme.colors.warning.text, fontSize: theme.typography.bodySmall.fontSize }),
});
