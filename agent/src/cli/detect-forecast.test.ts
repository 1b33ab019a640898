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
    ['timestamp,value\n2027-01-04 00:00:00,1\n2027-01-04 01:00:00,n/a\n', /bad\.csv: row 3: value "n\/a" is not a number/],
    ['when,value\n2027-01-04 00:00:00,1\n', /bad\.csv: row 1: header must name the columns/],
  ])('names the row and the reason for a bad file (%#)', async (text, message) => {
    fs.writeFileSync(path.join(dir, 'bad.csv'), text);
    const r = await cli('detect', '--input', path.join(dir, 'bad.csv'));
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(message);
    expect(r.err.join('\n')).not.toMatch(/\s+at .*\.(ts|js):\d+/);
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

  it('adds the expected load of a calendar and reports a bad calendar', async () => {
    const calendar = path.join(dir, 'cal.json');
    fs.writeFileSync(calendar, JSON.stringify({ weddings: [{ id: 'w1', title: 'W', start: '2027-02-01T14:00:00+00:00', timezone: 'Europe/London', days: 1, guests: 200, tradition: 'british', vendors: 3 }] }));
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
