import { AgentState } from '../state';
import { indexCalendar } from '../calendar/rules';
import { CALENDAR, HOUR, NOW, seedState, testConfig } from './__fixtures__/harness';
import { StreamHub, type StreamSink } from './stream-hub';

/** A subscriber that keeps what it was sent, parsed back into events. */
class RecordingSink implements StreamSink {
  chunks: string[] = [];
  ended = false;
  writableLength = 0;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.ended = true;
  }
  events(): Array<{ id?: number; event: string; data: unknown }> {
    return this.chunks
      .join('')
      .split('\n\n')
      .filter((b) => b.includes('event:'))
      .map((block) => {
        const field = (name: string) =>
          block
            .split('\n')
            .find((l) => l.startsWith(`${name}: `))
            ?.slice(name.length + 2);
        const id = field('id');
        return { id: id === undefined ? undefined : Number(id), event: field('event')!, data: JSON.parse(field('data')!) as unknown };
      });
  }
}

function newState(): AgentState {
  const config = testConfig({}, 2);
  const state = new AgentState(
    {
      version: 't',
      cluster: 'test',
      mode: 'dry-run',
      leader: true,
      startedAtMs: NOW - HOUR,
      lastTickMs: null,
      lastTickDurationMs: null,
      ticks: 0,
      ready: true,
    },
    config.targets,
    indexCalendar(CALENDAR, config.wedding),
  );
  seedState(state, NOW);
  return state;
}

/** What one more tick changes: time passes; `load` moves the api target's observed load. */
function tick(state: AgentState, load?: number): void {
  state.info.ticks++;
  state.info.lastTickMs = (state.info.lastTickMs ?? NOW) + 15_000;
  const api = state.targets.get('api')!;
  if (load !== undefined) api.observed = { value: load, atMs: state.info.lastTickMs };
}

describe('StreamHub', () => {
  it('sends a snapshot on subscribe, then only what a tick changed, with increasing ids', () => {
    const state = newState();
    const hub = new StreamHub();
    hub.publish(state);
    const sink = new RecordingSink();
    hub.subscribe(sink);
    expect(sink.events()[0]).toMatchObject({ event: 'snapshot', data: { load: [{ target: 'api', observed: 180 }, { target: 'photo-upload' }] } });

    tick(state); // nothing but time moved: nothing sent
    hub.publish(state);
    expect(sink.events()).toHaveLength(1);

    tick(state, 240);
    hub.publish(state);
    const [, load] = sink.events();
    expect(sink.events()).toHaveLength(2);
    expect(load).toMatchObject({ event: 'load', data: { target: 'api', observed: 240 } });

    state.targets.get('api')!.decision!.desiredReplicas = 9;
    state.pageConditions = [
      {
        kind: 'target_overloaded',
        subject: 'api',
        dedupKey: 'k',
        severity: 'critical',
        weddingDay: true,
        summary: 'api overloaded',
        targets: ['api'],
        details: {},
      },
    ] as never;
    tick(state);
    hub.publish(state);
    const later = sink.events().slice(2);
    expect(later.map((e) => e.event)).toEqual(['load', 'decision', 'pages']);
    expect(later[1].data).toMatchObject({ target: 'api', desiredReplicas: 9 });
    expect(later[2].data).toMatchObject({ pages: [{ kind: 'target_overloaded', subject: 'api', summary: 'api overloaded' }] });
    const ids = sink
      .events()
      .slice(1)
      .map((e) => e.id!);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    hub.close();
  });

  it('a reconnect with Last-Event-ID gets exactly the events it missed; one too far behind gets a snapshot', () => {
    const state = newState();
    const hub = new StreamHub({ replayEvents: 4 });
    hub.publish(state);
    const first = new RecordingSink();
    const leave = hub.subscribe(first)!;
    tick(state, 200);
    hub.publish(state);
    const seen = first.events().at(-1)!.id!;
    leave();
    tick(state, 210);
    hub.publish(state);
    tick(state, 220);
    hub.publish(state);

    const again = new RecordingSink();
    hub.subscribe(again, String(seen));
    expect(again.events().map((e) => [e.event, (e.data as { observed?: number }).observed])).toEqual([
      ['load', 210],
      ['load', 220],
    ]);
    expect(again.events()[0].id).toBe(seen + 1);

    for (const v of [230, 240, 250, 260, 270]) {
      tick(state, v);
      hub.publish(state);
    }
    const late = new RecordingSink();
    hub.subscribe(late, String(seen));
    expect(late.events().map((e) => e.event)).toEqual(['snapshot']);
    expect(late.events()[0].id).toBe(again.events().at(-1)!.id); // resumable from where the snapshot stands
    hub.close();
  });

  it('bounded: refuses subscribers beyond the maximum and cuts off one that stops reading', () => {
    const state = newState();
    const hub = new StreamHub({ maxSubscribers: 2, maxBufferedBytes: 10 });
    hub.publish(state);
    const a = new RecordingSink();
    const b = new RecordingSink();
    expect(hub.subscribe(a)).not.toBeNull();
    expect(hub.subscribe(b)).not.toBeNull();
    expect(hub.subscribe(new RecordingSink())).toBeNull();
    b.writableLength = 11; // its socket stopped draining
    tick(state, 300);
    hub.publish(state);
    expect(b.ended).toBe(true);
    expect(hub.size).toBe(1);
    expect(hub.counts.droppedSlow).toBe(1);
    expect(a.events().at(-1)).toMatchObject({ event: 'load' });
    hub.close();
    expect(a.ended).toBe(true);
    expect(hub.subscribe(new RecordingSink())).toBeNull();
  });

  it('sends a heartbeat while subscribed and stops its timer when the last one leaves', () => {
    jest.useFakeTimers();
    try {
      const hub = new StreamHub({ heartbeatMs: 1000, now: () => NOW });
      const sink = new RecordingSink();
      const leave = hub.subscribe(sink)!;
      jest.advanceTimersByTime(2500);
      expect(sink.events().filter((e) => e.event === 'heartbeat')).toHaveLength(2);
      leave();
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
