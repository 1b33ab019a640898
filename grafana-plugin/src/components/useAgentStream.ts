/**
 * The agent's tick stream in the panel: a live view laid over the last GET /status. While the stream
 * is down the panel polls instead (`pollMs`), so a proxy that drops the stream costs freshness, not data.
 */
import { useEffect, useRef, useState } from 'react';
import { AgentStream, type EventSourceLike, type StreamState } from '../api/agentStream';
import { applyEvent, EMPTY_LIVE, type LiveView } from '../data/liveStatus';

export interface AgentLive {
  view: LiveView;
  state: StreamState | 'off';
}

export function useAgentStream(url: string | null, newEventSource?: (url: string) => EventSourceLike): AgentLive {
  const [view, setView] = useState<LiveView>(EMPTY_LIVE);
  const [state, setState] = useState<StreamState | 'off'>('off');
  useEffect(() => {
    if (!url) {
      return;
    }
    const stream = new AgentStream({
      url,
      newEventSource,
      onState: setState,
      onEvent: (type, data, id) => setView((v) => applyEvent(v, type, data, id, Date.now())),
    });
    stream.start();
    return () => stream.stop();
  }, [url, newEventSource]);
  return { view, state: url ? state : 'off' };
}

/** Poll GET /status while the stream is not live, and once more when it is back; `reload` is the panel's refresh. */
export function usePollWhileDown(state: AgentLive['state'], reload: () => void, pollMs: number): void {
  const wasDown = useRef(false);
  useEffect(() => {
    if (state === 'live' && wasDown.current) {
      // Back after an outage: what the stream replays is only the ticks; reload the rest (and clear the error).
      wasDown.current = false;
      reload();
    }
    if (state === 'reconnecting' || state === 'down') {
      wasDown.current = true;
    }
  }, [state, reload]);
  useEffect(() => {
    if (state === 'live' || state === 'off' || state === 'connecting') {
      return;
    }
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [state, reload, pollMs]);
}
