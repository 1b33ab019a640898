/** Before the WedSync app is configured: what is missing and where an admin sets it, not an empty chart. */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { LinkButton, useStyles2 } from '@grafana/ui';
import { APP_ID } from '../api/appSettings';
import { testIds } from '../testIds';

export function ConnectAgent({ missing, compact = false }: { missing: string[]; compact?: boolean }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={compact ? styles.compact : styles.box} data-testid={testIds.connect.state}>
      <strong>Connect the WedSync agent</strong>
      <p>
        {`This panel reaches the agent through the WedSync app, and ${missing.join(', ')}. `}A Grafana admin sets the agent&apos;s URL and token once, on the
        app&apos;s configuration page; the token stays on Grafana&apos;s server.
      </p>
      <LinkButton href={`plugins/${APP_ID}`} size="sm" icon="cog">
        Open the WedSync app&apos;s configuration
      </LinkButton>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ padding: theme.spacing(2), color: theme.colors.text.secondary, overflow: 'auto', p: { margin: theme.spacing(1, 0) } }),
  compact: css({
    padding: theme.spacing(1),
    color: theme.colors.text.secondary,
    border: `1px dashed ${theme.colors.border.medium}`,
    p: { margin: theme.spacing(0.5, 0) },
  }),
});
