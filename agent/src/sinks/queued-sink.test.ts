import { METRIC } from '../metrics/names';
import { MemoryTransport } from './memory-sink';
import { QueuedSink } from './queued-sink';
import type { Sample, Transport } from '../contracts/sink';
import { allSamples, queueOptions } from './sink-deps';
import { metricValue, sample, samplesInput, testDeps, turns } from './__fixtures__/sink-test-helpers';

function makeSink(cfg: { maxQueue: number; maxBatch: number }) {
  const deps = testDeps();
  const store = new MemoryTransport<Sample>();
  const sink = new QueuedSink(queueOptions('mem', 'memory', store, allSamples, cfg, deps));
  return { sink, store, deps, registry: deps.registry, timers: deps.timers };
}

const seqs = (items: Sample[]) => items.map((s) => Number(s.labels.seq));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const burst = (from: number, n: number) => range(from, from + n).map((i) => sample('m', i));

describe('QueuedSink', () => {
  test('export returns at once and delivers in batches of maxBatch, in order', async () => {
    const { sink, store, registry } = makeSink({ maxQueue: 100, maxBatch: 3 });
    const result = sink.export(samplesInput(burst(0, 7)));
    expect(result).toEqual({ accepted: 7, dropped: 0 });
    expect(store.batches).toHaveLength(0); // nothing was sent synchronously
    await turns();
    expect(store.batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(seqs(store.items)).toEqual(range(0, 7));
    expect(await metricValue(registry, METRIC.sinkExportedSamplesTotal, { sink: 'mem' })).toBe(7);
    expect(await metricValue(registry, METRIC.sinkQueueLength, { sink: 'mem' })).toBe(0);
    expect(sink.health()).toEqual({ name: 'mem', type: 'memory', healthy: true, queueLength: 0, dropped: 0, lastError: null });
  });

  test('a transport that leaves items out (sent: 0), asked at every attempt, sends and counts nothing for them', async () => {
    const deps = testDeps();
    const store = new MemoryTransport<Sample>();
    let refuse = new Set([1]);
    // As PagerDuty's delivery does with an overdue trigger: the decision is the transport's, at each attempt.
    const picky: Transport<Sample> = {
      async send(batch) {
        const due = batch.filter((s) => !refuse.has(Number(s.labels.seq)));
        if (due.length === 0) return { ok: true, sent: 0 };
        const outcome = await store.send(due);
        return outcome.ok ? { ok: true, sent: due.length } : outcome;
      },
    };
    const sink = new QueuedSink(queueOptions('mem', 'memory', picky, allSamples, { maxQueue: 100, maxBatch: 1 }, deps));
    store.failNext({ ok: false, status: 503, retryable: true, error: 'HTTP 503' });
    sink.export(samplesInput(burst(0, 3)));
    await turns();
    expect(store.items).toHaveLength(0); // item 0 failed and waits for its retry
    refuse = new Set([0, 1]); // by the retry, item 0 is no longer wanted either
    deps.timers.advance(1000);
    await turns();
    expect(seqs(store.items)).toEqual([2]);
    expect(sink.health()).toMatchObject({ queueLength: 0, dropped: 0, healthy: true });
    expect(await metricValue(deps.registry, METRIC.sinkExportedSamplesTotal, { sink: 'mem' })).toBe(1);
  });

  test('a retryable failure keeps the batch and retries after a jittered backoff', async () => {
    const { sink, store, registry, timers } = makeSink({ maxQueue: 100, maxBatch: 10 });
    store.failNext({ ok: false, status: 503, retryable: true, error: 'HTTP 503' });
    sink.export(samplesInput(burst(0, 4)));
    await turns();
    expect(store.items).toHaveLength(0);
    expect(sink.health()).toMatchObject({ healthy: false, queueLength: 4, lastError: 'HTTP 503' });
    expect(await metricValue(registry, METRIC.sinkUp, { sink: 'mem' })).toBe(0);
    // random() = 0.5 and initialMs 1000 → the first retry waits 500 ms.
    timers.advance(499);
    await turns();
    expect(store.items).toHaveLength(0);
    timers.advance(1);
    await turns();
    expect(seqs(store.items)).toEqual([0, 1, 2, 3]);
    expect(sink.health()).toMatchObject({ healthy: true, queueLength: 0, lastError: null });
    expect(await metricValue(registry, METRIC.sinkFailedExportsTotal, { sink: 'mem', reason: '5xx' })).toBe(1);
    expect(await metricValue(registry, METRIC.sinkUp, { sink: 'mem' })).toBe(1);
  });

  test('Retry-After is honoured when longer than the backoff', async () => {
    const { sink, store, registry, timers } = makeSink({ maxQueue: 100, maxBatch: 10 });
    store.failNext({ ok: false, status: 429, retryable: true, error: 'HTTP 429', retryAfterMs: 5000 });
    sink.export(samplesInput(burst(0, 2)));
    await turns();
    timers.advance(4999);
    await turns();
    expect(store.items).toHaveLength(0);
    timers.advance(1);
    await turns();
    expect(store.items).toHaveLength(2);
    expect(await metricValue(registry, METRIC.sinkFailedExportsTotal, { reason: '429' })).toBe(1);
  });

  test('a non-retryable 4xx drops the batch (counted) and moves on', async () => {
    const { sink, store, registry } = makeSink({ maxQueue: 100, maxBatch: 2 });
    store.failNext({ ok: false, status: 400, retryable: false, error: 'HTTP 400: bad metric' });
    sink.export(samplesInput(burst(0, 5)));
    await turns();
    expect(seqs(store.items)).toEqual([2, 3, 4]);
    expect(await metricValue(registry, METRIC.sinkDroppedSamplesTotal, { sink: 'mem', reason: 'rejected' })).toBe(2);
    expect(await metricValue(registry, METRIC.sinkFailedExportsTotal, { reason: '4xx' })).toBe(1);
    expect(sink.health()).toMatchObject({ dropped: 2, healthy: true });
  });

  test('past the bound the oldest waiting samples are dropped and counted; the rest arrive exactly once', async () => {
    const { sink, store, registry, timers } = makeSink({ maxQueue: 5, maxBatch: 2 });
    const down = { ok: false as const, status: 503, retryable: true, error: 'HTTP 503' };
    store.failNext(...Array(50).fill(down));
    let seq = 0;
    for (let tick = 0; tick < 4; tick++) {
      const r = sink.export(samplesInput(burst(seq, 3)));
      seq += 3;
      expect(r.accepted).toBe(3);
      expect(sink.health().queueLength).toBeLessThanOrEqual(5);
      timers.advance(1000);
      await turns();
    }
    expect(store.items).toHaveLength(0);
    const dropped = await metricValue(registry, METRIC.sinkDroppedSamplesTotal, { reason: 'overflow' });
    expect(dropped).toBe(12 - 5);
    store.recover();
    await sink.forceFlush(60_000);
    const got = seqs(store.items);
    expect(new Set(got).size).toBe(got.length);
    expect(got.length + dropped).toBe(12);
    expect(got).toEqual(expect.arrayContaining([9, 10, 11])); // the newest always survive
  });

  test('forceFlush skips the backoff wait; with a dead destination it gives up at the deadline', async () => {
    const { sink, store, timers } = makeSink({ maxQueue: 100, maxBatch: 10 });
    store.failNext({ ok: false, status: 503, retryable: true, error: 'HTTP 503' });
    sink.export(samplesInput(burst(0, 3)));
    await turns();
    await expect(sink.forceFlush(1000)).resolves.toEqual({ ok: true, pending: 0 });
    expect(store.items).toHaveLength(3);

    const down = { ok: false as const, status: 503, retryable: true, error: 'HTTP 503' };
    store.failNext(...Array(100).fill(down));
    sink.export(samplesInput(burst(3, 2)));
    const flushing = sink.forceFlush(2000);
    await turns();
    timers.advance(2000);
    await expect(flushing).resolves.toEqual({ ok: false, pending: 2 });
  });

  test('shutdown flushes, then drops (counted) what is left and ignores later exports; idempotent', async () => {
    const { sink, store, registry, timers } = makeSink({ maxQueue: 100, maxBatch: 10 });
    const down = { ok: false as const, status: 503, retryable: true, error: 'HTTP 503' };
    store.failNext(...Array(100).fill(down));
    sink.export(samplesInput(burst(0, 4)));
    await turns();
    const first = sink.shutdown(3000);
    expect(sink.shutdown(3000)).toBe(first);
    await turns();
    timers.advance(3000);
    await expect(first).resolves.toEqual({ ok: false, pending: 4 });
    expect(await metricValue(registry, METRIC.sinkDroppedSamplesTotal, { reason: 'shutdown' })).toBe(4);
    expect(sink.export(samplesInput(burst(4, 1)))).toEqual({ accepted: 0, dropped: 0 });
    expect(sink.health().queueLength).toBe(0);
  });

  test('a transport that throws is a retryable failure, not an exception', async () => {
    const { deps, timers } = makeSink({ maxQueue: 10, maxBatch: 10 });
    let calls = 0;
    const sink = new QueuedSink<Sample>(
      queueOptions(
        'boom',
        'memory',
        { send: async () => (++calls === 1 ? Promise.reject(new Error('socket hang up')) : { ok: true }) },
        allSamples,
        { maxQueue: 10, maxBatch: 10 },
        deps,
      ),
    );
    sink.export(samplesInput(burst(0, 1)));
    await turns();
    expect(sink.health()).toMatchObject({ healthy: false, lastError: 'socket hang up' });
    timers.advance(1000);
    await turns();
    expect(calls).toBe(2);
    expect(sink.health().healthy).toBe(true);
  });

  test('a toItems that throws skips the tick instead of throwing into the loop', () => {
    const { deps } = makeSink({ maxQueue: 10, maxBatch: 1 });
    const sink = new QueuedSink<Sample>(
      queueOptions(
        'bad',
        'memory',
        new MemoryTransport<Sample>(),
        () => {
          throw new Error('bug');
        },
        { maxQueue: 10, maxBatch: 1 },
        deps,
      ),
    );
    expect(sink.export(samplesInput([]))).toEqual({ accepted: 0, dropped: 0 });
  });

  test('options are checked when the sink is built', () => {
    const { deps } = makeSink({ maxQueue: 10, maxBatch: 1 });
    expect(() => new QueuedSink(queueOptions('x', 'memory', new MemoryTransport<Sample>(), allSamples, { maxQueue: 10, maxBatch: 20 }, deps))).toThrow(
      'sink x: maxBatch must be an integer between 1 and maxQueue (10), got 20',
    );
    expect(() => new QueuedSink(queueOptions('x', 'memory', new MemoryTransport<Sample>(), allSamples, { maxQueue: 0, maxBatch: 1 }, deps))).toThrow(
      'sink x: maxQueue must be an integer ≥ 1 (got 0)',
    );
  });
});
