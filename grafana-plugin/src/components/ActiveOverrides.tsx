/** Overrides in force, each with a two-step Clear so a stray click cannot drop a Saturday floor. */
import React, { useState } from 'react';
import { Button, Stack } from '@grafana/ui';
import type { OverrideDto } from '../types';
import { formatTimeLeft } from './overrideDraft';
import { testIds } from '../testIds';

interface Props {
  overrides: OverrideDto[];
  nowMs: number;
  onClear?: (id: string) => Promise<void>;
}

export function ActiveOverrides({ overrides, nowMs, onClear }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (overrides.length === 0) return null;
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: '4px 0' }}>
      {overrides.map((o) => (
        <li key={o.id} data-testid={testIds.override.active(o.id)}>
          <Stack gap={1} alignItems="center">
            <span>
              {o.type === 'freeze' ? 'Freeze' : `${o.type === 'pin' ? 'Pin' : 'Floor'} ${o.replicas}`} · {formatTimeLeft(Date.parse(o.until), nowMs)} left · “{o.reason}” ({o.author})
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
                      try {
                        await onClear(o.id);
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
        </li>
      ))}
    </ul>
  );
}
