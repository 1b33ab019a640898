import { AgentStream, backoffMs, type EventSourceLike, type StreamState } from './agentStream';

class Source implements EventSourceLike {
  onopen: ((e: Event) => void) | null = null;
  onerror: ((e: Event) => void) | null = null;
  closed = false;
  listeners = new Map<string, (e: MessageEvent<string>) => void>();
  constructor(readonly url: string) {}
  addEventListener(type: string, l: (e: MessageEvent<string>) => void): void {
    this.listeners.set(type, l);
  }
  emit(type: string, id: number | null, data: unknown = {}): void {
    this.listeners.get(type)!({ data: JSON.stringify(data), lastEventId: id === null ? '' : String(id) } as MessageEvent<string>);
  }
  close(): void {
    this.closed = true;
  }
}

function setup() {
  const sources: Source[] = [];
  const states: StreamState[] = [];
  const events: Array<[string, number | null]> = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const stream = new AgentStream({
    url: '/api/plugin-proxy/wedsync-scaling-app/api/v1/stream',
    newEventSource: (url) => {
      const s = new Source(url);
      sources.push(s);
      return s;
    },
    onEvent: (type, _data, id) => events.push([type, id]),
    onState: (s) => states.push(s),
    random: () => 1,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => undefined,
  });
  return { stream, sources, states, events, timers };
}

describe('AgentStream', () => {
  it('reconnects with growing, capped backoff, resuming after the last id, and never hands an event twice', () => {
    const { stream, sources, states, events, timers } = setup();
    stream.start();
    sources[0].onopen!(new Event('open'));
    sources[0].emit('snapshot', 0, { load: [] });
    sources[0].emit('load', 1);
    sources[0].emit('decision', 2);
    for (let failure = 1; failure <= 6; failure++) {
      sources.at(-1)!.onerror!(new Event('error'));
      expect(sources.at(-2 + 1)!.closed).toBe(true);
      timers.at(-1)!.fn();
    }
    expect(timers.map((t) => t.ms)).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
    expect(states).toEqual([
      'connecting',
      'live',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'down',
      'down',
      'down',
      'down',
      'down',
      'down',
      'down',
      'down',
    ]);
    const last = sources.at(-1)!;
    expect(last.url).toBe('/api/plugin-proxy/wedsync-scaling-app/api/v1/stream?lastEventId=2');
    last.onopen!(new Event('open'));
    last.emit('decision', 2); // replayed twice by a server or proxy: dropped
    last.emit('load', 3);
    last.emit('heartbeat', null);
    expect(events).toEqual([
      ['snapshot', 0],
      ['load', 1],
      ['decision', 2],
      ['load', 3],
      ['heartbeat', null],
    ]);
    expect(states.at(-1)).toBe('live');
    stream.stop();
    expect(last.closed).toBe(true);
  });

  it('full jitter stays within [min/2, cap]', () => {
    expect(backoffMs(1, 1000, 30_000, () => 0)).toBe(500);
    expect(backoffMs(10, 1000, 30_000, () => 1)).toBe(30_000);
  });
});

it('an EventSource factory passed as undefined (none in context) falls back to the browser EventSource', () => {
  const opened: string[] = [];
  (globalThis as unknown as { EventSource: unknown }).EventSource = class {
    onopen = null;
    onerror = null;
    constructor(url: string) {
      opened.push(url);
    }
    addEventListener() {}
    close() {}
  };
  const stream = new AgentStream({ url: '/s', newEventSource: undefined, onEvent: () => undefined, onState: () => undefined });
  stream.start();
  expect(opened).toEqual(['/s']);
  stream.stop();
});
