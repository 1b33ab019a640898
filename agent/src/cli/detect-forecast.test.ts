import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from './main';

/** Runs the CLI in-process and captures its output (no child process, no stack traces expected). */
async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'wedsync-agent', ...args], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wedsync-cli-'));
const fixture = (name: string) => path.join(__dirname, '..', '__fixtures__', 'real-data', name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A small hourly series written as NAB rows: 5 weeks of a daily rhythm, with optional changes after `cut`. */
function series(name: string, after?: { from: number; value: number }): string {
  const lines = ['timestamp,value,label'];
  const t0 = Date.UTC(2027, 0, 4);
  for (let i = 0; i < 5 * 168; i++) {
    const t = t0 + i * 3_600_000;
    const v = after && i >= after.from ? after.value : 100 + 20 * Math.sin((2 * Math.PI * (i % 24)) / 24);
    lines.push(`${new Date(t).toISOString().slice(0, 19).replace('T', ' ')},${v.toFixed(3)},0`);
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('wedsync-agent detect', () => {
  it('writes timestamp,value,anomaly_score for every input row', async () => {
    const input = series('plain.csv');
    const output = path.join(dir, 'scores.csv');
    const r = await cli('detect', '--input', input, '--output', output);
    expect(r.code).toBe(0);
    const rows = fs.readFileSync(output, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('timestamp,value,anomaly_score');
    expect(rows).toHaveLength(5 * 168 + 1);
    expect(rows[1]).toMatch(/^2027-01-04 00:00:00,100,0$/);
    for (const row of rows.slice(1)) expect(Number(row.split(',')[2])).toBeLessThanOrEqual(1);
  });

  it.each([
    ['timestamp,value\n2027-01-04 00:00:00,\n2027-01-04 01:00:00,n/a\n', /bad\.csv: no usable data rows \(last problem: row 3: value "n\/a" is not a number\)/],
    ['when,value\n2027-01-04 00:00:00,1\n', /bad\.csv: row 1: header must name a time column/],
  ])('names the row and the reason for a file it cannot use (%#)', async (text, message) => {
    fs.writeFileSync(path.join(dir, 'bad.csv'), text);
    const r = await cli('detect', '--input', path.join(dir, 'bad.csv'));
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(message);
    expect(r.err.join('\n')).not.toMatch(/\s+at .*\.(ts|js):\d+/);
  });

  it('scores a file whose clock hour repeats in row order, as NAB does, and says so in one line', async () => {
    const r = await cli('detect', '--input', fixture('repeated-clock-hour.csv'));
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(587 + 1);
    expect(r.out[313]).toMatch(/^2027-10-31 01:05:00,/); // the row after 01:55 goes back 55 minutes, kept in place
    expect(r.err).toEqual([
      expect.stringMatching(
        /^detect: .*repeated-clock-hour\.csv: 1 backward timestamp \(first at row 314; row order kept, as NAB does\), 11 repeated timestamps/,
      ),
    ]);
  });

  it.each([
    ['duplicates.csv', 578, /2 repeated timestamps \(first at row 103; each row scored in file order\)/],
    ['gaps.csv', 563, /2 gaps of 13 missing steps in all \(first at row 152; scored as they come\)/],
    ['empty-values.csv', 573, /3 empty values \(first at row 52; left out\)/],
    ['non-numeric.csv', 572, /4 non-numeric values \(first at row 72; left out\)/],
  ])('%s: scored, %i rows out, the irregular rows reported', async (name, rows, message) => {
    const r = await cli('detect', '--input', fixture(name));
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(rows + 1);
    expect(r.err.join('\n')).toMatch(message);
  });

  it('says when the input cannot be read', async () => {
    const r = await cli('detect', '--input', path.join(dir, 'missing.csv'));
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/missing\.csv: cannot read the file \(ENOENT\)/);
  });
});

describe('wedsync-agent forecast', () => {
  it('writes N rows at the input step, starting at --at', async () => {
    const r = await cli('forecast', '--input', series('f.csv'), '--at', '2027-02-01 00:00:00', '--horizon', '48');
    expect(r.code).toBe(0);
    expect(r.out[0]).toBe('timestamp,forecast,lower,upper');
    expect(r.out).toHaveLength(49);
    expect(r.out[1]).toMatch(/^2027-02-01 00:00:00,/);
    expect(r.out[48]).toMatch(/^2027-02-02 23:00:00,/);
    const [, f, lo, hi] = r.out[7].split(',').map(Number);
    expect(Math.abs(f - (100 + 20 * Math.sin((2 * Math.PI * 6) / 24)))).toBeLessThan(1);
    expect(lo).toBeLessThanOrEqual(f);
    expect(hi).toBeGreaterThanOrEqual(f);
  });

  it('uses only rows before --at: later rows do not change the forecast', async () => {
    const at = '2027-02-01 00:00:00';
    const cut = 4 * 168; // the row at --at
    const a = await cli('forecast', '--input', series('a.csv'), '--at', at, '--horizon', '24');
    const b = await cli('forecast', '--input', series('b.csv', { from: cut, value: 99_999 }), '--at', at, '--horizon', '24');
    expect(b.out).toEqual(a.out);
  });

  it.each([
    [['--at', 'soon', '--horizon', '4'], /--at: "soon" is not a date-time/],
    [['--at', '2027-02-01 00:00:00', '--horizon', '0'], /--horizon: "0" must be a whole number/],
    [['--at', '2020-01-01 00:00:00', '--horizon', '4'], /0 row\(s\) before --at/],
  ])('rejects bad arguments clearly (%#)', async (args, message) => {
    const r = await cli('forecast', '--input', series('e.csv'), ...args);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(message);
  });

  it('forecasts from a file whose clock hour repeats: time order, last value wins, reported in one line', async () => {
    const r = await cli('forecast', '--input', fixture('repeated-clock-hour.csv'), '--at', '2027-11-01 00:00:00', '--horizon', '12');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(13);
    expect(r.out[1]).toMatch(/^2027-11-01 00:00:00,/);
    expect(r.err[0]).toMatch(
      /^forecast: .*repeated-clock-hour\.csv: 1 backward timestamp \(first at row 314; put back in time order\), 11 repeated timestamps \(first at row 314; last value wins\)$/,
    );
    // 576 distinct instants: the 11 repeated ones count once.
    expect(r.err[1]).toMatch(/^forecast: 576 rows before/);
  });

  it('a duplicate timestamp: the last value in the file is the one learned', async () => {
    const hour = (h: number) => new Date(Date.UTC(2027, 0, 1, h)).toISOString().slice(0, 19).replace('T', ' ');
    const base = ['timestamp,value', ...Array.from({ length: 48 }, (_, h) => `${hour(h)},100`)];
    const dup = [...base, '2027-01-02 23:00:00,5000']; // a repeated last row replaces the earlier 100
    fs.writeFileSync(path.join(dir, 'dup.csv'), dup.join('\n'));
    fs.writeFileSync(path.join(dir, 'nodup.csv'), [...base.slice(0, -1), '2027-01-02 23:00:00,5000'].join('\n'));
    const a = await cli('forecast', '--input', path.join(dir, 'dup.csv'), '--at', '2027-01-03 00:00:00', '--horizon', '3');
    const b = await cli('forecast', '--input', path.join(dir, 'nodup.csv'), '--at', '2027-01-03 00:00:00', '--horizon', '3');
    expect(a.out).toEqual(b.out);
    expect(a.err[0]).toMatch(/1 repeated timestamp \(first at row 50; last value wins\)/);
  });

  it('adds the expected load of a calendar and reports a bad calendar', async () => {
    const calendar = path.join(dir, 'cal.json');
    fs.writeFileSync(
      calendar,
      JSON.stringify({
        weddings: [
          { id: 'w1', title: 'W', start: '2027-02-01T14:00:00+00:00', timezone: 'Europe/London', days: 1, guests: 200, tradition: 'british', vendors: 3 },
        ],
      }),
    );
    const input = series('c.csv');
    const without = await cli('forecast', '--input', input, '--at', '2027-02-01 00:00:00', '--horizon', '24');
    const withCal = await cli('forecast', '--input', input, '--at', '2027-02-01 00:00:00', '--horizon', '24', '--calendar', calendar);
    const at15 = (r: { out: string[] }): number => Number(r.out[16].split(',')[1]);
    // 15:00 is the reception (phase factor 1.5): 200 guests × 0.1 per guest × 1.5 = 30 more.
    expect(at15(withCal) - at15(without)).toBeCloseTo(30, 5);
    fs.writeFileSync(calendar, '{"weddings":[{"id":"x"}]}');
    const bad = await cli('forecast', '--input', input, '--at', '2027-02-01 00:00:00', '--horizon', '24', '--calendar', calendar);
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toMatch(/cal\.json: .*guests/);
  });
});
