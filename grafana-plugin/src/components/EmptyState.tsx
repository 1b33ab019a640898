/** Says exactly what is missing instead of showing a blank panel. */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import type { AgentApiError } from '../api/agentClient';
import { RECOMMENDED_QUERIES, type SeriesRole } from '../data/metricNames';
import { testIds } from '../testIds';

interface Props {
  queryErrors: string[];
  agentError: AgentApiError | null;
  missingRoles: SeriesRole[];
  unrecognised: string[];
  width: number;
  height: number;
}

export function EmptyState({ queryErrors, agentError, missingRoles, unrecognised, width, height }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.box} style={{ width, height }} data-testid={testIds.panel.emptyState}>
      <strong>No WedSync targets to show.</strong>
      <ul>
        {queryErrors.map((e) => (
          <li key={e}>{`Query failed: ${e}`}</li>
        ))}
        {agentError && <li>{`The agent (through the WedSync app) answered: ${agentError.message}`}</li>}
        {missingRoles.length > 0 && (
          <li>
            No Prometheus data for: {missingRoles.join(', ')}. Add queries such as{' '}
            {RECOMMENDED_QUERIES.filter((q) => missingRoles.includes(q.refId))
              .map((q) => q.expr)
              .join(', ')}{' '}
            with a Prometheus data source that scrapes the agent.
          </li>
        )}
        {unrecognised.length > 0 && (
          <li>{`Queries not recognised (name them by metric or use refIds like "observed"): ${[...new Set(unrecognised)].join(', ')}`}</li>
        )}
      </ul>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ padding: theme.spacing(1), color: theme.colors.text.secondary, overflow: 'auto' }),
});
