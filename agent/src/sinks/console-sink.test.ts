import { PassThrough } from 'node:stream';
import { ConsoleSink, formatSampleLine } from './console-sink';
import { sample, samplesInput, testDeps } from './__fixtures__/sink-test-helpers';

describe('console sink', () => {
  test('formats exposition-style lines, escaping label values', () => {
    expect(formatSampleLine({ name: 'm', labels: { a: 'x"y\\z' }, value: 1.5, kind: 'gauge', atMs: 7 })).toBe('m{a="x\\"y\\\\z"} 1.5 7');
    expect(formatSampleLine({ name: 'm', labels: {}, value: 2, kind: 'counter', atMs: 7 })).toBe('m 2 7');
  });

  test('writes every sample to its stream', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    const sink = new ConsoleSink('console', { maxQueue: 10, maxBatch: 10 }, testDeps({ stdout: out }));
    sink.export(samplesInput([sample('m', 1, 5), sample('m', 2, 5)], 5));
    await expect(sink.forceFlush(1000)).resolves.toEqual({ ok: true, pending: 0 });
    expect(chunks.join('')).toBe('m{seq="1"} 1 5\nm{seq="2"} 2 5\n');
  });
});
