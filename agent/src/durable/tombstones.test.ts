import type { Override } from '../plan/types';
import { localDeletions, mergeTombstones, withoutDeleted } from './tombstones';

const o = (id: string, untilMs: number): Override => ({
  id,
  targetId: 't',
  type: 'freeze',
  untilMs,
  untilWeddingEnds: false,
  reason: 'r',
  author: 'a',
  createdAtMs: 0,
});

describe('tombstones', () => {
  test('a delete since the last round leaves a tombstone until the override would have expired', () => {
    const last = new Map([
      ['a', o('a', 100)],
      ['b', o('b', 50)],
      ['c', o('c', 10)],
    ]);
    expect(localDeletions(last, [o('a', 100)], 20)).toEqual([{ id: 'b', untilMs: 50, deletedAtMs: 20 }]); // c expired: nothing to bury
  });

  test.each([
    [
      'union, first delete wins',
      [{ id: 'a', untilMs: 100, deletedAtMs: 5 }],
      [
        { id: 'a', untilMs: 100, deletedAtMs: 9 },
        { id: 'b', untilMs: 90, deletedAtMs: 9 },
      ],
      10,
      10,
      ['a@5', 'b@9'],
    ],
    ['expired ones go', [{ id: 'a', untilMs: 10, deletedAtMs: 1 }], [{ id: 'b', untilMs: 11, deletedAtMs: 1 }], 10, 10, ['b@1']],
    [
      'past the cap the soonest-expiring go',
      [
        { id: 'a', untilMs: 20, deletedAtMs: 1 },
        { id: 'b', untilMs: 30, deletedAtMs: 1 },
      ],
      [{ id: 'c', untilMs: 25, deletedAtMs: 1 }],
      0,
      2,
      ['b@1', 'c@1'],
    ],
  ])('merge: %s', (_name, remote, local, now, cap, want) => {
    expect(mergeTombstones(remote, local, now, cap).map((t) => `${t.id}@${t.deletedAtMs}`)).toEqual(want);
  });

  test('an override with a tombstone is left out', () => {
    expect(withoutDeleted([o('a', 9), o('b', 9)], [{ id: 'a', untilMs: 9, deletedAtMs: 0 }]).map((x) => x.id)).toEqual(['b']);
  });
});
