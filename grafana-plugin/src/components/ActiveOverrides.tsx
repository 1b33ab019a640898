/** Overrides in force, each with a two-step Clear so a stray click cannot drop a Saturday floor. */
import React, { useState } from 'react';
import { Button, Stack, useTheme2 } from '@grafana/ui';
import type { OverrideDto } from '../types';
import { formatTimeLeft } from './overrideDraft';
import { testIds } from '../testIds';

interface Props {
  overrides: OverrideDto[];
  nowMs: number;
  onClear?: (id: string) => Promise<void>;
}

export function ActiveOverrides({ overrides, nowMs, onClear }: Props) {
  const theme = useTheme2();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ id: string; message: string } | null>(null);
  if (overrides.length === 0) {
    return null;
  }
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: '4px 0' }}>
      {overrides.map((o) => (
        <li key={o.id} data-testid={testIds.override.active(o.id)}>
          <Stack gap={1} alignItems="center">
            <span>
              {o.type === 'freeze' ? 'Freeze' : `${o.type === 'pin' ? 'Pin' : 'Floor'} ${o.replicas}`} · {formatTimeLeft(Date.parse(o.until), nowMs)} left · “
              {o.reason}” ({o.author})
            </span>
            {onClear &&
              (confirming === o.id ? (
                <>
                  <Button
                    size="sm"
                    variant="destructive"
                    disabled={busy}
                    data-testid={testIds.override.clear(o.id)}
                    onClick={async () => {
                      setBusy(true);
                      setFailure(null);
                      try {
                        await onClear(o.id);
                      } catch (e) {
                        // Shown as the agent worded it, e.g. a coordinator may only remove wedding-long overrides.
                        setFailure({ id: o.id, message: (e as Error).message });
                      } finally {
                        setBusy(false);
                        setConfirming(null);
                      }
                    }}
                  >
                    Clear override
                  </Button>
                  <Button size="sm" variant="secondary" onClick={() => setConfirming(null)}>
                    Keep
                  </Button>
                </>
              ) : (
                <Button size="sm" variant="secondary" onClick={() => setConfirming(o.id)}>
                  Clear…
                </Button>
              ))}
          </Stack>
          {failure?.id === o.id && (
            <div role="alert" style={{ color: theme.colors.error.text }} data-testid={testIds.override.clearError(o.id)}>
              {`Not cleared: ${failure.message}`}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
