import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeIssues, parseSeriesCsv, parseTimestamp, formatTimestamp, medianStepMs, timeOrderedLastWins } from './series-csv';

describe('parseSeriesCsv', () => {
  it('reads NAB rows, ignores extra columns, keeps the raw timestamp', () => {
    const { rows, style } = parseSeriesCsv('timestamp,value,label\n2014-07-01 00:00:00,10844,0\n2014-07-01 00:30:00,8127.5,1\n');
    expect(style).toBe('nab');
    expect(rows).toEqual([
      { raw: '2014-07-01 00:00:00', tMs: Date.UTC(2014, 6, 1), value: 10844 },
      { raw: '2014-07-01 00:30:00', tMs: Date.UTC(2014, 6, 1, 0, 30), value: 8127.5 },
    ]);
    expect(medianStepMs(rows)).toBe(1_800_000);
  });

  it('takes the only other column of a two-column file as the value', () => {
    expect(parseSeriesCsv('timestamp,demand_rps\n2027-05-03T00:00:00Z,192.93\n').rows[0].value).toBe(192.93);
  });

  it("reads Grafana's own CSV export: quoted header and cells, Time column, a BOM, CRLF (issue 24, defect 15)", () => {
    const text = '\uFEFF"Time","Value"\r\n"2024-01-01 00:00:00","1.5"\r\n"2024-01-01 00:01:00","2"\r\n';
    expect(parseSeriesCsv(text).rows).toEqual([
      { raw: '2024-01-01 00:00:00', tMs: Date.UTC(2024, 0, 1, 0, 0), value: 1.5 },
      { raw: '2024-01-01 00:01:00', tMs: Date.UTC(2024, 0, 1, 0, 1), value: 2 },
    ]);
  });

  it("reads a Grafana export named after its series, Excel's sep= line, and epoch-ms times", () => {
    const text = 'sep=;\n"Time";"api_rps{env=""prod""}"\n1704067200000;3\n1704067260000;4\n';
    const csv = parseSeriesCsv(text);
    expect(csv.rows.map((r) => [r.tMs, r.value])).toEqual([
      [1704067200000, 3],
      [1704067260000, 4],
    ]);
    expect(csv.style).toBe('epoch-ms');
  });

  it('keeps a quoted timestamp row and a quoted value with a comma out of the value column, counting row numbers as an editor does', () => {
    const text =
      'timestamp,value,note\n"2014-07-01 00:00:00",5,"a, b"\n2014-07-01 00:05:00,6,c\n2014-07-01 00:10:00,"x,y",c\n\n2014-07-01 00:25:00,7,d\n2014-07-01 00:30:00,8,d\n';
    const csv = parseSeriesCsv(text);
    expect(csv.rows.map((r) => r.value)).toEqual([5, 6, 7, 8]);
    expect(csv.issues).toMatchObject({ nonNumeric: 1, gaps: 1, missingSteps: 3, firstRow: { nonNumeric: 4, gaps: 6 } });
  });

  it.each([
    ['when,val\n2014-07-01 00:00:00,1', /row 1: header must name a time column \("timestamp" or "time"\) and a value column/],
    ['timestamp,a,b\n2014-07-01 00:00:00,1,2', /row 1: header must name a time column .*\(found "timestamp,a,b"\)/],
    ['timestamp,value\n"2014-07-01 00:00:00,1', /not readable as CSV: .*/],
    ['timestamp,value\nyesterday,2\n2014-07-01 00:05:00,', /no usable data rows \(last problem: row 3: value is empty\)/],
    ['timestamp,value\n2014-02-30 00:05:00,1', /no usable data rows .*row 2: timestamp "2014-02-30 00:05:00" is not a date-time/],
    ['timestamp,value\n2014-07-01 00:00:00', /no usable data rows .*row 2: value is empty/],
    ['timestamp,value\n', /no data rows/],
  ])('refuses only a bad header or no usable row: %j', (text, message) => {
    expect(() => parseSeriesCsv(text)).toThrow(message);
  });

  const fixture = (name: string) => parseSeriesCsv(fs.readFileSync(path.join(__dirname, '..', '__fixtures__', 'real-data', name), 'utf8'));

  it.each([
    // A clock hour repeated: at 02:00 the clock goes back to 01:05 (55 minutes), as a local-time export at the end of DST.
    ['repeated-clock-hour.csv', 587, { backward: 1, duplicate: 11, gaps: 0 }, { backward: 314, duplicate: 314 }],
    ['duplicates.csv', 578, { duplicate: 2, backward: 0 }, { duplicate: 103 }],
    ['late-sample.csv', 576, { backward: 1, duplicate: 0, gaps: 0 }, { backward: 205 }],
    ['gaps.csv', 563, { gaps: 2, missingSteps: 13 }, { gaps: 152 }],
    ['empty-values.csv', 573, { empty: 3 }, { empty: 52 }],
    ['non-numeric.csv', 572, { nonNumeric: 4 }, { nonNumeric: 72 }],
  ])('%s: %i usable rows, each irregular kind counted with its first row', (name, n, counts, firstRow) => {
    const { rows, issues } = fixture(name);
    expect(rows).toHaveLength(n);
    expect(issues).toMatchObject(counts);
    expect(issues.firstRow).toMatchObject(firstRow);
  });

  it('keeps the file order; timeOrderedLastWins sorts and lets the last of a repeated timestamp win', () => {
    const { rows } = parseSeriesCsv('timestamp,value\n2027-01-01 00:10:00,3\n2027-01-01 00:00:00,1\n2027-01-01 00:10:00,4\n2027-01-01 00:05:00,2\n');
    expect(rows.map((r) => r.value)).toEqual([3, 1, 4, 2]);
    expect(timeOrderedLastWins(rows).map((r) => r.value)).toEqual([1, 2, 4]);
  });

  it('describes the issues in one line with the rule per kind', () => {
    const { issues } = fixture('repeated-clock-hour.csv');
    expect(describeIssues(issues, { backward: 'row order kept', duplicate: 'each row scored' })).toBe(
      '1 backward timestamp (first at row 314; row order kept), 11 repeated timestamps (first at row 314; each row scored)',
    );
    expect(describeIssues(parseSeriesCsv('timestamp,value\n2027-01-01 00:00:00,1\n').issues, {})).toBeNull();
  });

  it('reads ISO-8601 and epoch timestamps and writes them back the same way', () => {
    const ms = Date.UTC(2027, 5, 5, 13);
    for (const [text, style] of [
      ['2027-06-05T14:00:00+01:00', 'iso'],
      [String(ms / 1000), 'epoch-s'],
      [String(ms), 'epoch-ms'],
    ] as const) {
      const ts = parseTimestamp(text)!;
      expect(ts.tMs).toBe(Date.UTC(2027, 5, 5, 13));
      expect(ts.style).toBe(style);
      expect(parseTimestamp(formatTimestamp(ts.tMs, ts.style))!.tMs).toBe(ts.tMs);
    }
  });
});
