import { parseSeriesCsv, parseTimestamp, formatTimestamp, medianStepMs } from './series-csv';

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

  it.each([
    ['time,val\n2014-07-01 00:00:00,1', /row 1: header must name the columns "timestamp" and "value"/],
    ['timestamp,a,b\n2014-07-01 00:00:00,1,2', /row 1: header must name the columns "timestamp" and "value"/],
    ['timestamp,value\n2014-07-01 00:00:00,1\nyesterday,2', /row 3: timestamp "yesterday" is not a date-time/],
    ['timestamp,value\n2014-07-01 00:00:00,1\n2014-07-01 00:05:00,', /row 3: value "" is not a number/],
    ['timestamp,value\n2014-07-01 00:00:00,1\n2014-02-30 00:05:00,1', /row 3: timestamp "2014-02-30 00:05:00" is not a date-time/],
    ['timestamp,value\n2014-07-01 00:05:00,1\n2014-07-01 00:00:00,2', /row 3: .* is before the previous row's/],
    ['timestamp,value\n2014-07-01 00:00:00', /row 2: expected at least 2 columns, found 1/],
    ['timestamp,value\n', /no data rows/],
  ])('rejects %j with the row and the reason', (text, message) => {
    expect(() => parseSeriesCsv(text)).toThrow(message);
  });

  it('reads ISO-8601 and epoch timestamps and writes them back the same way', () => {
    const ms = Date.UTC(2027, 5, 5, 13);
    for (const [text, style] of [['2027-06-05T14:00:00+01:00', 'iso'], [String(ms / 1000), 'epoch-s'], [String(ms), 'epoch-ms']] as const) {
      const ts = parseTimestamp(text)!;
      expect(ts.tMs).toBe(Date.UTC(2027, 5, 5, 13));
      expect(ts.style).toBe(style);
      expect(parseTimestamp(formatTimestamp(ts.tMs, ts.style))!.tMs).toBe(ts.tMs);
    }
  });
});
