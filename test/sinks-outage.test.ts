/**
 * The outage test of issue 5, on a fake clock: the Datadog stand-in answers 503 for 30 s, then recovers,
 * while a New Relic stand-in and the memory sink stay healthy. Real clients, real local HTTP servers;
 * only the sinks' backoff clock is fake (ManualTimers), moved one second per tick.
 */
import { METRIC } from '../agent/src/metrics/names';
import type { AgentState } from '../agent/src/state';
import { silentLogger } from '../agent/src/util/logger';
import { SinkFanout } from '../agent/src/sinks/fanout';
import type { MemorySink } from '../agent/src/sinks/memory-sink';
import type { QueuedSink } from '../agent/src/sinks/queued-sink';
import { buildSinks } from '../agent/src/app/sink-registry';
import type { Sample } from '../agent/src/contracts/sink';
import { metricValue, sample, testDeps } from '../agent/src/sinks/__fixtures__/sink-test-helpers';
import { ManualTimers } from '../agent/src/sinks/timers';
import { loadSinkConfigs, quiet, startCaptureServer, type CaptureServer } from './sinks-capture';

// Real servers and (for Datadog) a 2–4 s client load on a shared 2-core machine: allow more than Jest's 5 s.
jest.setTimeout(30_000);

const T0 = Date.parse('2026-06-13T15:00:00Z');
const OUTAGE_MS = 30_000;
const PER_TICK = 5;
const TICKS = 60;
const MAX_QUEUE = 50;
const MAX_BATCH = 10;

let dd: CaptureServer;
let nr: CaptureServer;
afterEach(async () => {
  await Promise.all([dd?.close(), nr?.close()]);
});

const seqOfTag = (tags: string[]) => Number(tags.find((t) => t.startsWith('seq:'))!.slice(4));

describe('sink outage (Datadog stand-in 503 for 30 s of fake time; New Relic stand-in and memory sink healthy)', () => {
  test('every sample inside the bound arrives exactly once, drops past it are counted, other sinks never wait', async () => {
    const timers = new ManualTimers(T0);
    dd = await startCaptureServer({
      respond: () => (timers.now() < T0 + OUTAGE_MS ? { status: 503, body: '{"errors":["down"]}' } : { status: 202, body: '{"errors":[]}' }),
    });
    nr = await startCaptureServer({ respond: () => ({ status: 202, body: '{"requestId":"x"}' }) });
    const deps = testDeps({ timers });
    const entries = buildSinks(
      loadSinkConfigs(
        [
          { type: 'datadog', name: 'dd', apiKey: '${DD_API_KEY}', url: dd.url, intervalSeconds: 1, maxQueue: MAX_QUEUE, maxBatch: MAX_BATCH },
          { type: 'newrelic', name: 'nr', licenseKey: '${NR_KEY}', url: nr.url, intervalSeconds: 1, maxQueue: MAX_QUEUE, maxBatch: MAX_BATCH },
          { type: 'memory', name: 'mem' },
        ],
        { DD_API_KEY: 'dd-key', NR_KEY: 'nr-key' },
      ),
      deps,
    );
    const [ddSink, nrSink, memSink] = entries.map((e) => e.sink as QueuedSink<Sample>);
    let seq = 0;
    const generatedAt = new Map<number, number>();
    const fanout = new SinkFanout({
      entries,
      clock: timers.now,
      logger: silentLogger,
      collect: async (atMs) =>
        Array.from({ length: PER_TICK }, () => {
          generatedAt.set(seq, atMs);
          return sample('wedsync_agent_test_sample', seq++, atMs);
        }),
    });
    const nrSeqs = () =>
      nr
        .accepted()
        .flatMap((r) => (JSON.parse(r.body) as Array<{ metrics: Array<{ attributes: { seq: string } }> }>)[0].metrics.map((m) => Number(m.attributes.seq)));

    let slowestAfterTickMs = 0;
    for (let tick = 0; tick < TICKS; tick++) {
      const started = performance.now();
      fanout.afterTick({} as AgentState);
      slowestAfterTickMs = Math.max(slowestAfterTickMs, performance.now() - started);
      await fanout.whenCollected();
      await quiet(ddSink, nrSink, memSink);
      // The other sinks are never held back by Datadog: everything generated so far has arrived.
      expect(nrSeqs()).toHaveLength(seq);
      expect((memSink as MemorySink).store.items).toHaveLength(seq);
      if (timers.now() < T0 + OUTAGE_MS) {
        expect(dd.accepted()).toHaveLength(0);
        expect(ddSink.health().queueLength).toBeLessThanOrEqual(MAX_QUEUE);
      }
      timers.advance(1000);
    }
    await expect(fanout.shutdown(30_000)).resolves.toEqual([
      { name: 'dd', ok: true, pending: 0 },
      { name: 'nr', ok: true, pending: 0 },
      { name: 'mem', ok: true, pending: 0 },
    ]);

    const total = TICKS * PER_TICK;
    expect(seq).toBe(total);
    // afterTick only schedules work: it never waits on a sink.
    expect(slowestAfterTickMs).toBeLessThan(20);
    expect(dd.requests.some((r) => r.status === 503)).toBe(true);

    const delivered = dd.accepted().flatMap((r) => (JSON.parse(r.body) as { series: Array<{ tags: string[] }> }).series.map((s) => seqOfTag(s.tags)));
    const dropped = await metricValue(deps.registry, METRIC.sinkDroppedSamplesTotal, { sink: 'dd', reason: 'overflow' });
    expect(new Set(delivered).size).toBe(delivered.length); // exactly once
    expect(dropped).toBeGreaterThan(0);
    expect(delivered.length + dropped).toBe(total); // nothing vanishes uncounted
    expect(ddSink.health()).toMatchObject({ healthy: true, queueLength: 0, dropped });
    // Inside the bound: the newest samples waiting at recovery, and everything after it, all arrived.
    const recovery = T0 + OUTAGE_MS;
    const mustArrive = [...generatedAt].filter(([, at]) => at >= recovery - ((MAX_QUEUE - MAX_BATCH) / PER_TICK) * 1000).map(([s]) => s);
    expect(mustArrive.length).toBeGreaterThan(TICKS * PER_TICK - (OUTAGE_MS / 1000) * PER_TICK);
    expect(delivered).toEqual(expect.arrayContaining(mustArrive));
    // The healthy sinks lost nothing.
    expect(await metricValue(deps.registry, METRIC.sinkDroppedSamplesTotal, { sink: 'nr' })).toBe(0);
    expect(new Set(nrSeqs()).size).toBe(total);
  });
});
