/** Says whether the panel follows the agent live, and how fresh the last event is. */
import React from 'react';
import type { StreamState } from '../api/agentStream';
import { testIds } from '../testIds';

interface Props {
  state: StreamState | 'off';
  lastEventAtMs: number | null;
  lastEventId: number;
  pollSeconds: number;
}

const WORDS: Record<Props['state'], string> = {
  off: 'refreshes with the dashboard',
  connecting: 'connecting to the live stream…',
  live: 'live',
  reconnecting: 'live stream lost: reconnecting',
  down: 'live stream down',
};

export function LiveIndicator({ state, lastEventAtMs, lastEventId, pollSeconds }: Props) {
  const polling = state === 'reconnecting' || state === 'down';
  const last = lastEventAtMs === null ? '' : ` · last event ${new Date(lastEventAtMs).toISOString().slice(11, 19)} UTC`;
  return (
    <span data-testid={testIds.live.indicator} data-state={state} data-last-event-id={lastEventId} data-last-event-at={lastEventAtMs ?? ''}>
      {`${state === 'live' ? '● ' : ''}${WORDS[state]}${polling ? `, polling every ${pollSeconds} s` : ''}${last}`}
    </span>
  );
}
