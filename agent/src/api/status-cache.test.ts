import { AgentState } from '../state';
import { indexCalendar } from '../calendar/rules';
import { CALENDAR, HOUR, NOW, seedState, testConfig } from './__fixtures__/harness';
import { statusDto } from './dto';
import { StatusCache } from './status-cache';

function fixture() {
  const config = testConfig({}, 5);
  const state = new AgentState(
    { version: 't', cluster: 'c', mode: 'dry-run', leader: true, startedAtMs: NOW - HOUR, lastTickMs: null, lastTickDurationMs: null, ticks: 0, ready: false },
    config.targets,
    indexCalendar(CALENDAR, config.wedding),
  );
  seedState(state, NOW);
  let real = 0;
  const cache = new StatusCache(state, 250, () => real);
  return { state, cache, advanceReal: (ms: number) => (real += ms) };
}

const override = (id: string, untilMs: number) => ({
  id,
  targetId: 'api',
  type: 'freeze' as const,
  untilMs,
  untilWeddingEnds: false,
  reason: 'r',
  author: 'a',
  createdAtMs: NOW,
});

describe('StatusCache', () => {
  it('serves exactly what statusDto builds', () => {
    const { state, cache } = fixture();
    const sinks = [{ name: 'dd', type: 'datadog', healthy: true, queueLength: 0, dropped: 0, lastError: null }];
    expect(JSON.parse(cache.body(NOW, sinks))).toEqual(statusDto(state, NOW, sinks));
    expect(JSON.parse(cache.body(NOW + 5, sinks))).toEqual(statusDto(state, NOW + 5, sinks));
  });

  it('rebuilds when a tick ends', () => {
    const { state, cache } = fixture();
    cache.body(NOW, []);
    state.targets.get('api')!.observed = { value: 999, atMs: NOW };
    state.info.ticks++;
    expect(JSON.parse(cache.body(NOW, [])).targets[0].load.observed).toBe(999);
  });

  it('rebuilds when an override is added (new array or in place) and when one expires', () => {
    const { state, cache } = fixture();
    cache.body(NOW, []);
    state.importOverrides([override('a', NOW + HOUR)]);
    expect(JSON.parse(cache.body(NOW, [])).targets[0].overrides.map((o: { id: string }) => o.id)).toEqual(['a']);
    state.importOverrides([override('b', NOW + 2 * HOUR)]);
    expect(JSON.parse(cache.body(NOW, [])).targets[0].overrides).toHaveLength(2);
    expect(JSON.parse(cache.body(NOW + HOUR, [])).targets[0].overrides.map((o: { id: string }) => o.id)).toEqual(['b']);
  });

  it('serves a cached body within maxAge and a fresh one after it', () => {
    const { state, cache, advanceReal } = fixture();
    cache.body(NOW, []);
    state.targets.get('api')!.stale = true; // an edit between ticks
    expect(JSON.parse(cache.body(NOW, [])).targets[0].load.stale).toBe(false);
    advanceReal(251);
    expect(JSON.parse(cache.body(NOW, [])).targets[0].load.stale).toBe(true);
  });
});
