/** The calendar refresher: off the tick, one refresh at a time, every refreshSeconds (issue 12). */
import { Registry } from 'prom-client';
import { configSchema } from '../app/config-schema';
import { indexCalendar } from '../calendar/rules';
import type { WeddingCalendar } from '../calendar/model';
import { ControlLoop } from '../engine/loop';
import { createAgentMetrics } from '../metrics/agent-metrics';
import { InMemoryScaler } from '../scale/in-memory-scaler';
import { AgentState } from '../state';
import { ManualClock } from '../util/clock';
import { silentLogger } from '../util/logger';
import { EwmaDetector } from '../../test-support/ewma-detector';
import { LevelPlusCalendarForecaster } from '../../test-support/level-plus-calendar-forecaster';
import { PushSource } from './push-source';
import { CalendarRefresher, type CalendarProvider } from './calendar-refresher';
import { CalendarStore } from './calendar-store';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const T0 = Date.parse('2027-06-05T12:00:00Z');
const WEDDING = { id: 'w', title: 'W', start: '2027-06-05T13:00:00+01:00', timezone: 'Europe/London', days: 1, guests: 100, tradition: 'british', vendors: 1 };

class CountingCalendar implements CalendarProvider {
  refreshes = 0;
  readonly status = new Map();
  gate: Promise<void> | null = null;
  constructor(private cal: WeddingCalendar = { weddings: [WEDDING] }) {}
  async refresh() {
    this.refreshes++;
    if (this.gate) await this.gate;
    return this.cal;
  }
  calendar() {
    return this.cal;
  }
  confirm() {
    return { outcome: 'nothing-held' as const };
  }
}

function setup() {
  const config = configSchema.parse({
    sources: { p: { type: 'push' } },
    calendar: { refreshSeconds: 300 },
    forecast: { horizonHours: 1 },
    targets: [{ id: 'api', kubernetes: { namespace: 'n', name: 'api' }, load: { source: 'p', query: 'api' }, capacityPerPod: 10, maxReplicas: 50 }],
  });
  const clock = new ManualClock(T0);
  const state = new AgentState(
    { version: 't', cluster: 'c', mode: 'dry-run', leader: true, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
    config.targets,
    indexCalendar({ weddings: [] }, config.wedding),
  );
  const metrics = createAgentMetrics(state, new Registry());
  const provider = new CountingCalendar();
  const refresher = new CalendarRefresher({ config, state, provider, metrics, logger: silentLogger, clock: clock.now });
  const loop = new ControlLoop({
    config,
    state,
    sources: { p: new PushSource() },
    scaler: new InMemoryScaler(clock.now),
    clock: clock.now,
    metrics,
    logger: silentLogger,
    newDetector: () => new EwmaDetector(),
    newForecaster: () => new LevelPlusCalendarForecaster(),
  });
  return { clock, state, provider, refresher, loop };
}

describe('CalendarRefresher', () => {
  it('refreshes when due: at once, then only after refreshSeconds', async () => {
    const { clock, provider, refresher, state } = setup();
    await refresher.refreshIfDue(clock.now());
    expect(state.calendar.days).toHaveLength(1);
    clock.advance(60_000);
    await refresher.refreshIfDue(clock.now());
    expect(provider.refreshes).toBe(1);
    clock.advance(240_000);
    await refresher.refreshIfDue(clock.now());
    expect(provider.refreshes).toBe(2);
  });

  it('a hanging calendar source never holds a tick, and refreshes do not pile up behind it', async () => {
    const { clock, provider, refresher, loop, state } = setup();
    let release!: () => void;
    provider.gate = new Promise((r) => (release = r));
    const hanging = refresher.refresh(clock.now());
    await loop.tick(); // would wait on the calendar if the tick still refreshed it
    expect(state.info.ticks).toBe(1);
    expect(state.calendar.days).toHaveLength(0);
    void refresher.refresh(clock.now());
    expect(provider.refreshes).toBe(1); // the second call joins the one in flight
    release();
    await hanging;
    expect(state.calendar.days).toHaveLength(1);
  });

  it('a held update keeps Saturday protection in force and is exported as a gauge; a confirmation applies it at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wedsync-refresh-held-'));
    const second = { ...WEDDING, id: 'w2', start: '2027-06-12T13:00:00+01:00' };
    writeFileSync(join(dir, 'w.json'), JSON.stringify({ weddings: [WEDDING, second] }));
    const config = configSchema.parse({
      sources: { p: { type: 'push' } },
      calendar: { sources: [{ format: 'json', location: 'w.json' }] },
      targets: [{ id: 'api', kubernetes: { namespace: 'n', name: 'api' }, load: { source: 'p', query: 'api' }, capacityPerPod: 10, maxReplicas: 50 }],
    });
    const clock = new ManualClock(T0);
    const state = new AgentState(
      { version: 't', cluster: 'c', mode: 'dry-run', leader: true, startedAtMs: T0, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
      [],
      indexCalendar({ weddings: [] }, config.wedding),
    );
    const registry = new Registry();
    const metrics = createAgentMetrics(state, registry);
    const store = new CalendarStore(config.calendar.sources, dir, clock.now, fetch, 10_000, config.calendar.maxBytes, config.calendar.maxDropFraction);
    const refresher = new CalendarRefresher({ config, state, provider: store, metrics, logger: silentLogger, clock: clock.now });
    const gauge = async (name: string) => (await registry.getSingleMetric(name)!.get()).values.map((v) => [v.labels, v.value]);
    await refresher.refresh(clock.now());
    expect(state.calendar.days).toHaveLength(2);
    expect(await gauge('wedsync_agent_calendar_update_held')).toEqual([[{ source: 'w.json' }, 0]]);

    writeFileSync(join(dir, 'w.json'), '{"weddings":[]}');
    await refresher.refresh(clock.now());
    expect(state.calendar.days).toHaveLength(2); // both Saturdays still protected
    expect(await gauge('wedsync_agent_calendar_update_held')).toEqual([[{ source: 'w.json' }, 1]]);
    expect(await gauge('wedsync_agent_calendar_upcoming_weddings')).toEqual([
      [{ source: 'w.json', calendar: 'in_force' }, 2],
      [{ source: 'w.json', calendar: 'held' }, 0],
    ]);
    const held = state.calendarSources[0].held!;
    expect(held).toMatchObject({ upcomingBefore: 2, upcomingAfter: 0 });

    expect(await refresher.confirm('w.json', 'ffffffffffffffff')).toMatchObject({ outcome: 'mismatch' });
    expect(state.calendar.days).toHaveLength(2);
    expect(await refresher.confirm('w.json', held.fingerprint)).toMatchObject({ outcome: 'applied' });
    expect(state.calendar.days).toHaveLength(0);
    expect(state.calendarSources[0].held).toBeNull();
    expect(await gauge('wedsync_agent_calendar_update_held')).toEqual([[{ source: 'w.json' }, 0]]);
  });
});
