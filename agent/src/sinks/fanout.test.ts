import type { AgentState } from '../state';
import { silentLogger } from '../util/logger';
import { SinkFanout } from './fanout';
import { MemorySink } from './memory-sink';
import { sample, testDeps, turns } from './__fixtures__/sink-test-helpers';

function setup(intervals: number[], collect?: () => Promise<ReturnType<typeof sample>[]>) {
  const deps = testDeps();
  let now = 0;
  const sinks = intervals.map((_, i) => new MemorySink(`mem-${i}`, { maxQueue: 100, maxBatch: 100 }, deps));
  let calls = 0;
  const fanout = new SinkFanout({
    entries: sinks.map((sink, i) => ({ sink, intervalMs: intervals[i] })),
    clock: () => now,
    logger: silentLogger,
    collect: collect ?? (async (atMs) => [sample('m', ++calls, atMs)]),
  });
  return { fanout, sinks, advance: (ms: number) => (now += ms), calls: () => calls };
}

const state = {} as AgentState;

describe('SinkFanout', () => {
  test('feeds each sink when its interval is due, collecting once per tick', async () => {
    const { fanout, sinks, advance, calls } = setup([0, 30_000]);
    for (let tick = 0; tick < 5; tick++) {
      fanout.afterTick(state);
      await fanout.whenCollected();
      await turns();
      advance(15_000);
    }
    expect(calls()).toBe(5);
    expect(sinks[0].store.items.map((s) => s.atMs)).toEqual([0, 15_000, 30_000, 45_000, 60_000]);
    expect(sinks[1].store.items.map((s) => s.atMs)).toEqual([0, 30_000, 60_000]);
  });

  test('a tick arriving while the last collection runs is skipped, not stacked', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const { fanout, sinks } = setup([0], async () => {
      calls++;
      await gate;
      return [sample('m', 1)];
    });
    fanout.afterTick(state);
    fanout.afterTick(state);
    fanout.afterTick(state);
    release();
    await fanout.whenCollected();
    await turns();
    expect(calls).toBe(1);
    expect(sinks[0].store.items).toHaveLength(1);
  });

  test('a failing collection is logged and the sinks get an empty tick; health lists every sink', async () => {
    const { fanout } = setup([0, 0], async () => {
      throw new Error('registry exploded');
    });
    expect(() => fanout.afterTick(state)).not.toThrow();
    await fanout.whenCollected();
    expect(fanout.health().map((h) => h.name)).toEqual(['mem-0', 'mem-1']);
    expect(fanout.find('mem-1')?.type).toBe('memory');
  });

  test('shutdown is idempotent and stops feeding', async () => {
    const { fanout, sinks } = setup([0]);
    const a = fanout.shutdown(1000);
    expect(fanout.shutdown(1000)).toBe(a);
    await expect(a).resolves.toEqual([{ name: 'mem-0', ok: true, pending: 0 }]);
    fanout.afterTick(state);
    await fanout.whenCollected();
    expect(sinks[0].store.items).toHaveLength(0);
  });
});
