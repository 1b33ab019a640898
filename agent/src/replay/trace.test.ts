import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDemandIssues, parseDemandCsv, parseMeta, readGridRows, readTrace } from './trace';
import { writeSyntheticTrace } from '../../test-support/synthetic-trace';

const START = Date.parse('2027-06-04T00:00:00Z');

describe('trace reading', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wedsync-trace-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('reads a generated trace folder', () => {
    const gen = writeSyntheticTrace(dir, { days: 1 });
    const t = readTrace(dir);
    expect(t.demand.length).toBe(1440);
    expect(t.demand[5]).toBe(gen.demand[5]);
    expect(t.startMs).toBe(START);
    expect(t.calendar.weddings[0].id).toBe('w1');
  });

  test.each([
    ['a field of the wrong type', '{"podCapacityRps":"fifty"}', /podCapacityRps: .*number/],
    [
      'min above max',
      JSON.stringify({
        podCapacityRps: 50,
        podStartupSeconds: 180,
        minReplicas: 9,
        maxReplicas: 3,
        targetUtilization: 0.7,
        stepSeconds: 60,
        start: '2027-06-04T00:00:00Z',
        minutes: 1,
      }),
      /minReplicas \(9\) is above maxReplicas \(3\)/,
    ],
    ['not JSON', '{', /not JSON/],
  ])('meta.json: %s is named', (_n, text, message) => {
    expect(() => parseMeta(text, 'meta.json')).toThrow(message);
  });

  test.each([
    ['a wrong header', 'time,rps\n', /line 1: expected the header/],
    ['no usable row', 'timestamp,demand_rps\n2027-06-04T00:00:00Z,abc\n', /no usable data rows .*row 2: value "abc" is not a number/],
    ['a negative demand', 'timestamp,demand_rps\n2027-06-04T00:00:00Z,-3\n', /2027-06-04T00:00:00Z: demand_rps -3 is negative/],
    ['rows only outside the grid', 'timestamp,demand_rps\n2027-06-05T00:00:00Z,1\n', /no row falls inside meta.json's 10 steps/],
  ])('trace.csv: %s is refused, named', (_n, text, message) => {
    expect(() => parseDemandCsv(text, 'trace.csv', START, 60_000, 10)).toThrow(message);
  });

  test('gaps, duplicates, late and unusable rows are placed on the grid and counted', () => {
    const rows = [
      '00:00:00Z,10',
      '00:01:00Z,11',
      '00:01:00Z,12',
      '00:04:00Z,14',
      '00:03:00Z,13',
      '00:05:00Z,',
      '00:06:00Z,n/a',
      '00:07:30Z,17',
      '00:09:00Z,19',
      '00:12:00Z,99',
    ];
    const d = parseDemandCsv(['timestamp,demand_rps', ...rows.map((r) => `2027-06-04T${r}`)].join('\n'), 'trace.csv', START, 60_000, 10);
    // Step 1: last value wins; 2, 5, 6 have no row: the last value before; 7:30 lands on step 8.
    expect([...d.demand]).toEqual([10, 12, 12, 13, 14, 14, 14, 14, 17, 19]);
    expect([...d.missing]).toEqual([0, 0, 1, 0, 0, 1, 1, 1, 0, 0]);
    expect(d.issues).toMatchObject({ duplicate: 1, backward: 1, empty: 1, nonNumeric: 1, gaps: 2, missingSteps: 4, offGrid: 1, outOfRange: 1 });
    expect(describeDemandIssues(d)).toBe(
      '1 backward timestamp (first at row 6; placed at its own timestamp), 1 repeated timestamp (first at row 4; last value wins), ' +
        '2 gaps of 4 missing steps in all (the agent sees no reading there; policies are scored with the last value before), ' +
        '1 empty value (first at row 7; left out), 1 non-numeric value (first at row 8; left out), ' +
        "1 timestamp(s) off the step grid (put on the nearest step), 1 row(s) outside meta.json's range (left out)",
    );
  });

  test('a trace.csv with a repeated clock hour is read: the second pass of the hour wins', () => {
    const t = readTrace(join(__dirname, '..', '__fixtures__', 'real-data', 'trace-repeated-hour'));
    expect(t.demand.length).toBe(480);
    // Rows 32 and 33 (an empty value, "n/a") leave a two-step gap.
    expect(t.demandIssues).toMatchObject({ backward: 1, duplicate: 60, empty: 1, nonNumeric: 1, gaps: 1, missingSteps: 2 });
    expect(t.missing![30]).toBe(1);
    expect(t.demand[180]).toBe(Number(readFileSync(join(t.dir, 'trace.csv'), 'utf8').split('\n')[241].split(',')[1]));
  });

  test('a trace shorter than meta.json says ends in a gap', () => {
    writeSyntheticTrace(dir, { days: 1 });
    writeFileSync(join(dir, 'trace.csv'), 'timestamp,demand_rps\n2027-06-04T00:00:00Z,1\n');
    const t = readTrace(dir);
    expect(t.demand.length).toBe(1440);
    expect(t.demandIssues).toMatchObject({ gaps: 1, missingSteps: 1439 });
  });

  describe('the grid fast path reads what the general parser reads', () => {
    const row = (k: number, value: string) => `${new Date(START + k * 60_000).toISOString().replace('.000Z', 'Z')},${value}`;
    const file = (rows: string[]) => ['timestamp,demand_rps', ...rows].join('\n') + '\n';
    // A line of spaces is skipped by the general parser and refused by the fast path: the reference result.
    const general = (text: string, steps: number, startMs = START) => parseDemandCsv(text + ' \n', 'trace.csv', startMs, 60_000, steps);

    test.each([
      ['every step', file([0, 1, 2, 3].map((k) => row(k, `${10 + k}.25`))), 4, START],
      ['rows past the grid, no final newline', file([0, 1, 2, 3].map((k) => row(k, '7'))).trimEnd(), 2, START],
      ['rows before the grid, across midnight', file([-3, -2, -1, 0, 1].map((k) => row(k + 1440 * 3, '0.5e1'))), 4, START + 1440 * 3 * 60_000 - 60_000],
      ['a trace shorter than the grid', file([0, 1].map((k) => row(k, '1'))), 5, START],
      [
        'values of every shape Number reads',
        file(
          [
            '0',
            '-0',
            '+1',
            '.5',
            '1.',
            '007.250',
            '0.1',
            '0.30000000000000004',
            '123456789012345',
            '1234567890.123456',
            '9007199254740993',
            '5e-324',
            '1E3',
          ].map((v, k) => row(k, v)),
        ),
        13,
        START,
      ],
    ])('%s', (_n, text, steps, startMs) => {
      expect(readGridRows(text, startMs, 60_000, steps)).not.toBeNull();
      const fast = parseDemandCsv(text, 'trace.csv', startMs, 60_000, steps);
      const reference = general(text, steps, startMs);
      expect([...fast.demand]).toEqual([...reference.demand]);
      expect([...fast.missing]).toEqual([...reference.missing]);
      expect(JSON.stringify(fast.issues)).toBe(JSON.stringify(reference.issues));
      expect(describeDemandIssues(fast)).toBe(describeDemandIssues(reference));
    });

    test.each([
      ['a skipped step', file([row(0, '1'), row(2, '1')])],
      ['a repeated row', file([row(0, '1'), row(0, '1')])],
      ['milliseconds', file([row(0, '1').replace('Z,', '.000Z,')])],
      ['CRLF', file([row(0, '1'), row(1, '1')]).replace(/\n/g, '\r\n')],
      ['a second column', file([row(0, '1,2')])],
      ['a negative value', file([row(0, '-1')])],
      ['a value that is not a number', file([row(0, '1x')])],
      ['an empty value', file([row(0, '')])],
      ['a blank line', file([row(0, '1'), '', row(1, '1')])],
      ['a day that does not exist', file(['2027-02-30T00:00:00Z,1'])],
      ['a header only', 'timestamp,demand_rps\n'],
      ['a row off the grid', file([row(0, '1').replace(':00Z', ':30Z')])],
    ])('%s is left to the general parser', (_n, text) => {
      expect(readGridRows(text, START, 60_000, 10)).toBeNull();
    });

    test('a step that is not a whole second is left to the general parser', () => {
      expect(readGridRows(file([row(0, '1')]), START, 1500, 10)).toBeNull();
    });
  });

  test('a missing file is named', () => {
    expect(() => readTrace(dir)).toThrow(/meta.json: cannot read \(ENOENT\)/);
  });
});
