import type { TargetConfig } from '../config/schema';
import { emptyRejections, PushSource, type PushRejectReason } from './push-source';

const NOW = Date.parse('2027-06-05T14:00:00Z');
const YEAR = 365 * 86_400_000;
const target = { load: { source: 'push', query: 'rps' } } as TargetConfig;
const rejected = (r: Partial<Record<PushRejectReason, number>>) => ({ ...emptyRejections(), ...r });

describe('PushSource', () => {
  it.each<[string, Array<[number, number]>, number, Partial<Record<PushRejectReason, number>>]>([
    ['a point a year ahead', [[NOW + YEAR, 1]], 0, { future: 1 }],
    ['just past the 60 s default skew', [[NOW + 60_001, 1]], 0, { future: 1 }],
    ['within the skew', [[NOW + 60_000, 1]], 1, {}],
    ['a negative load', [[NOW, -3]], 0, { negative: 1 }],
    [
      'NaN and Infinity',
      [
        [NOW, NaN],
        [NOW, Infinity],
      ],
      0,
      { non_finite: 2 },
    ],
    ['zero', [[NOW, 0]], 1, {}],
    [
      'a batch in any order',
      [
        [NOW - 2000, 1],
        [NOW, 2],
        [NOW - 1000, 3],
      ],
      3,
      {},
    ],
  ])('%s', (_name, points, accepted, reasons) => {
    const src = new PushSource();
    expect(src.ingest('rps', {}, points, NOW)).toEqual({ accepted, rejected: rejected(reasons) });
  });

  it('refuses points older than the stored one, counted, keeping the newer reading', async () => {
    const src = new PushSource();
    src.ingest('rps', {}, [[NOW, 100]], NOW);
    expect(
      src.ingest(
        'rps',
        {},
        [
          [NOW - 1, 5],
          [NOW + 1000, 7],
        ],
        NOW + 1000,
      ),
    ).toEqual({ accepted: 1, rejected: rejected({ out_of_order: 1 }) });
    expect(await src.read(target, NOW + 1000)).toEqual({ ok: true, value: 7, atMs: NOW + 1000 });
  });

  it('equal timestamps: the last value received wins', async () => {
    const src = new PushSource();
    src.ingest(
      'rps',
      {},
      [
        [NOW, 1],
        [NOW, 2],
      ],
      NOW,
    );
    src.ingest('rps', {}, [[NOW, 3]], NOW);
    expect(await src.read(target, NOW)).toEqual({ ok: true, value: 3, atMs: NOW });
  });

  it('a point ahead within the skew is stored as received now, so it cannot freeze the series', async () => {
    const src = new PushSource({ maxClockSkewSeconds: 30 });
    src.ingest('rps', {}, [[NOW + 29_000, 1]], NOW);
    expect(await src.read(target, NOW)).toEqual({ ok: true, value: 1, atMs: NOW });
    // One second later a correct clock's point wins, though it is "older" than the skewed one.
    expect(src.ingest('rps', {}, [[NOW + 1000, 300]], NOW + 1000).accepted).toBe(1);
    expect(await src.read(target, NOW + 1000)).toEqual({ ok: true, value: 300, atMs: NOW + 1000 });
  });

  it('refuses new series beyond maxSeries', () => {
    const src = new PushSource({ maxSeries: 1 });
    src.ingest('a', {}, [[NOW, 1]], NOW);
    expect(
      src.ingest(
        'b',
        {},
        [
          [NOW, 1],
          [NOW, 2],
        ],
        NOW,
      ),
    ).toEqual({ accepted: 0, rejected: rejected({ series_limit: 2 }) });
    expect(src.ingest('a', {}, [[NOW, 2]], NOW).accepted).toBe(1);
  });
});
