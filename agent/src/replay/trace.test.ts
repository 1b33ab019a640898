import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDemandCsv, parseMeta, readTrace } from './trace';
import { writeSyntheticTrace } from './synthetic-trace';

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
    ['min above max', JSON.stringify({ podCapacityRps: 50, podStartupSeconds: 180, minReplicas: 9, maxReplicas: 3, targetUtilization: 0.7, stepSeconds: 60, start: '2027-06-04T00:00:00Z', minutes: 1 }), /minReplicas \(9\) is above maxReplicas \(3\)/],
    ['not JSON', '{', /not JSON/],
  ])('meta.json: %s is named', (_n, text, message) => {
    expect(() => parseMeta(text, 'meta.json')).toThrow(message);
  });

  test.each([
    ['a wrong header', 'time,rps\n', /line 1: expected the header/],
    ['a bad number', 'timestamp,demand_rps\n2027-06-04T00:00:00Z,abc\n', /line 2: demand_rps "abc"/],
    ['a gap in the minutes', 'timestamp,demand_rps\n2027-06-04T00:00:00Z,1\n2027-06-04T00:02:00Z,1\n', /line 3: .* breaks the 60s sequence/],
  ])('trace.csv: %s is named with its line', (_n, text, message) => {
    expect(() => parseDemandCsv(text, 'trace.csv', START, 60_000)).toThrow(message);
  });

  test('a row count that disagrees with meta.json is refused', () => {
    writeSyntheticTrace(dir, { days: 1 });
    writeFileSync(join(dir, 'trace.csv'), 'timestamp,demand_rps\n2027-06-04T00:00:00Z,1\n');
    expect(() => readTrace(dir)).toThrow(/1 rows, but meta.json says minutes=1440/);
  });

  test('a missing file is named', () => {
    expect(() => readTrace(dir)).toThrow(/meta.json: cannot read \(ENOENT\)/);
  });
});
