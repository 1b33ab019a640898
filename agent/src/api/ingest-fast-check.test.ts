import fc from 'fast-check';
import { isValidIngestBody } from './ingest-fast-check';
import { ingestRequestSchema } from './schemas';

const valid = {
  series: [
    {
      name: 'api_rps',
      labels: { env: 'prod' },
      points: [
        [1_700_000_000_000, 1.5],
        [0, -2],
      ],
    },
  ],
};

/** Values near the schema's edges, so both verdicts are common. */
const edgy = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(
    0,
    -1,
    1.5,
    8.64e15,
    8.64e15 + 1,
    2 ** 53,
    Number.MAX_VALUE,
    '',
    'x'.repeat(129),
    'x'.repeat(513),
    [],
    {},
    null,
    [1],
    [1, 2],
    [1, 2, 3],
    ['1', 2],
    [1, '2'],
    [-1, 2],
    [1.5, 2],
  ),
);

const mutate = (value: unknown): fc.Arbitrary<unknown> =>
  fc.constantFrom('series', 'name', 'labels', 'points', 'point', 't', 'v', 'labelKey', 'extra').chain((where) =>
    edgy.map((x) => {
      const v = structuredClone(value) as { series: Array<Record<string, unknown>> };
      const s = v.series[0];
      const pts = s.points as unknown[][];
      switch (where) {
        case 'series':
          return { series: x };
        case 'name':
          s.name = x;
          break;
        case 'labels':
          s.labels = x;
          break;
        case 'points':
          s.points = x;
          break;
        case 'point':
          pts[0] = x as unknown[];
          break;
        case 't':
          pts[1][0] = x;
          break;
        case 'v':
          pts[1][1] = x;
          break;
        case 'labelKey':
          s.labels = { [typeof x === 'string' ? x : 'k'.repeat(129)]: 'v' };
          break;
        case 'extra':
          s[typeof x === 'string' ? x || 'e' : 'extra'] = x;
          break;
      }
      return v;
    }),
  );

describe('isValidIngestBody agrees with ingestRequestSchema', () => {
  it('on the well-formed body', () => {
    expect(isValidIngestBody(valid)).toBe(true);
    expect(ingestRequestSchema.safeParse(valid).success).toBe(true);
  });

  it('on single-field mutations of a valid body and on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.oneof(mutate(valid), fc.jsonValue(), fc.record({ series: fc.array(fc.jsonValue(), { maxLength: 3 }) })), (body) => {
        const roundTripped = JSON.parse(JSON.stringify(body) ?? 'null');
        expect(isValidIngestBody(roundTripped)).toBe(ingestRequestSchema.safeParse(roundTripped).success);
      }),
      { numRuns: 3000 },
    );
  });
});
